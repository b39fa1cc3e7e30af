package dev.rollgate.core.port;

/**
 * A registry could not resolve a tag. Implementations translate HTTP answers and I/O errors into
 * this at the boundary; only {@link Kind#UNAVAILABLE} is worth asking again.
 */
public class RegistryException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the tag was not resolved. */
  public enum Kind {
    /** The tag or the repository does not exist (404). */
    NOT_FOUND,
    /** The registry or its token service refused the credentials, or anonymous access (401/403). */
    DENIED,
    /** Any other answer that asking again will not change (a malformed name, a bad digest). */
    REFUSED,
    /** Unreachable, timed out, throttled (429) or a 5xx: worth asking again later. */
    UNAVAILABLE
  }

  private final Kind kind;

  public RegistryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public RegistryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public boolean retryable() {
    return kind == Kind.UNAVAILABLE;
  }
}
