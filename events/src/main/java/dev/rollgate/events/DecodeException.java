package dev.rollgate.events;

/** The input is not something rollgate understands; the message names the field and the path. */
public class DecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public DecodeException(String message) {
    super(message);
  }

  /**
   * Only for the decoder's last line of defence, which turns a bug into a rejection instead of a
   * 5xx; the cause is kept for the logs (and the fuzz test insists there never is one).
   */
  public DecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
