package dev.rollgate.core.model;

/**
 * Where a deployment stands in its lifecycle.
 *
 * <pre>
 * PENDING ─► MIGRATING ─► ROLLING_OUT ─► VERIFYING ─► SUCCEEDED
 *               └─────────────┴─────────────┴─► FAILED / ERRORED ─► ROLLING_BACK ─► ROLLED_BACK
 *                                                                          └─► ROLLBACK_FAILED
 * PENDING ─► SUPERSEDED | REFUSED
 * PENDING | MIGRATING ─► ABORTED;  ROLLING_OUT | VERIFYING ─► ROLLING_BACK ─► ABORTED (POST /abort)
 * </pre>
 */
public enum Phase {
  /** Recorded, waiting for its turn (one active deployment per app and environment). */
  PENDING,
  /** Bringing the database to the release's schema; the service is not touched yet. */
  MIGRATING,
  /** Asking the platform to run the new image as a new revision. */
  ROLLING_OUT,
  /** Waiting for platform readiness and consecutive healthy probes. */
  VERIFYING,
  /** The new revision serves and was verified healthy. */
  SUCCEEDED,
  /** A check said no: migration error, health never good, or the platform rolled back. */
  FAILED,
  /** A technical fault that survived bounded retries. */
  ERRORED,
  /** Restoring the revision that served before, then verifying it. */
  ROLLING_BACK,
  /** The revision that served before serves again and is healthy. */
  ROLLED_BACK,
  /** The previous revision could not be restored or is not healthy: a person must act. */
  ROLLBACK_FAILED,
  /** A newer image for the same app and environment arrived before this one started. */
  SUPERSEDED,
  /** Refused before it started, e.g. a digest known to be bad in this environment. */
  REFUSED,
  /** Stopped by a person: what served before serves again (or nothing was touched). */
  ABORTED;

  /**
   * True when the deployment's outcome is decided. FAILED and ERRORED are outcomes too, though a
   * deployment that touched the service goes on from them to ROLLING_BACK.
   */
  public boolean isTerminal() {
    return switch (this) {
      case PENDING, MIGRATING, ROLLING_OUT, VERIFYING, ROLLING_BACK -> false;
      default -> true;
    };
  }

  /**
   * True where a person may still stop the deployment (POST /abort): it has not reached an outcome
   * and is not already restoring what served before.
   */
  public boolean isAbortable() {
    return this == PENDING || this == MIGRATING || this == ROLLING_OUT || this == VERIFYING;
  }

  /** True for the outcomes that mark a digest as bad in an environment. */
  public boolean marksBad() {
    return this == FAILED || this == ERRORED || this == ROLLED_BACK || this == ROLLBACK_FAILED;
  }
}
