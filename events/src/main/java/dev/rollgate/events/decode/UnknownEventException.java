package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;

/**
 * No decoder recognised the payload: an envelope whose contents are unknown rewords this to say
 * what carried them.
 */
final class UnknownEventException extends DecodeException {
  private static final long serialVersionUID = 1L;

  UnknownEventException(String message) {
    super(message);
  }
}
