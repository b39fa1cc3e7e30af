package dev.rollgate.events;

/** The input is not something rollgate understands; the message names the field and the path. */
public class DecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public DecodeException(String message) {
    super(message);
  }
}
