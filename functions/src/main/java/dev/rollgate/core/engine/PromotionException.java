package dev.rollgate.core.engine;

/** A promotion was refused; the reason says which rule, the message what to do. */
public class PromotionException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a promotion was refused. */
  public enum Reason {
    /** The request itself is malformed. */
    BAD_REQUEST,
    /** No token was presented. */
    UNAUTHENTICATED,
    /** The token is wrong, or promotion is not configured. */
    FORBIDDEN,
    /** Unknown app, environment, digest or deployment. */
    NOT_FOUND,
    /** The rules forbid it: not SUCCEEDED in the source environment, known-bad, wrong source. */
    NOT_PROMOTABLE
  }

  private final Reason reason;

  public PromotionException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
