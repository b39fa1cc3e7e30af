package dev.rollgate.core.port;

/**
 * A platform call failed. Adapters translate their SDK's exceptions into this at the boundary and
 * say whether trying again may help (throttling, 5xx, timeouts) or not (not found, forbidden).
 */
public class PlatformException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public PlatformException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public PlatformException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
