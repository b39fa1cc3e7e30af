package dev.rollgate.core.notify;

import dev.rollgate.core.model.Phase;
import java.util.Arrays;
import java.util.Optional;

/** What a notification is about; {@link #key()} is how the manifest and the webhook name it. */
public enum NotificationEvent {
  DEPLOYMENT_STARTED("deployment.started"),
  DEPLOYMENT_SUCCEEDED("deployment.succeeded"),
  DEPLOYMENT_FAILED("deployment.failed"),
  DEPLOYMENT_ROLLED_BACK("deployment.rolled-back"),
  DEPLOYMENT_ROLLBACK_FAILED("deployment.rollback-failed"),
  DEPLOYMENT_REFUSED("deployment.refused"),
  DEPLOYMENT_ABORTED("deployment.aborted"),
  PROMOTION_REQUESTED("promotion.requested"),
  BACKUP_TAKEN("backup.taken"),
  BACKUP_VERIFIED("backup.verified"),
  BACKUP_FAILED("backup.failed"),
  RPO_EXCEEDED("backup.rpo-exceeded");

  private final String key;

  NotificationEvent(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** True for the events that say something went wrong. */
  public boolean bad() {
    return switch (this) {
      case DEPLOYMENT_FAILED,
          DEPLOYMENT_ROLLED_BACK,
          DEPLOYMENT_ROLLBACK_FAILED,
          DEPLOYMENT_REFUSED,
          BACKUP_FAILED,
          RPO_EXCEEDED ->
          true;
      default -> false;
    };
  }

  public static Optional<NotificationEvent> of(String key) {
    return Arrays.stream(values()).filter(e -> e.key.equals(key)).findFirst();
  }

  /**
   * The event a transition of the log stands for, if any: leaving PENDING for work is a start, a
   * new PENDING deployment promoted from another environment is a promotion request, and the
   * outcomes are themselves (a refusal too, recorded as a deployment's first transition).
   */
  public static Optional<NotificationEvent> ofTransition(Phase from, Phase to, boolean promoted) {
    if (from == null) {
      // A known-bad digest is refused on arrival: its deployment is recorded REFUSED at once.
      if (to == Phase.REFUSED) {
        return Optional.of(DEPLOYMENT_REFUSED);
      }
      return promoted && to == Phase.PENDING ? Optional.of(PROMOTION_REQUESTED) : Optional.empty();
    }
    return Optional.ofNullable(
        switch (to) {
          case MIGRATING, ROLLING_OUT, VERIFYING ->
              from == Phase.PENDING ? DEPLOYMENT_STARTED : null;
          case SUCCEEDED -> DEPLOYMENT_SUCCEEDED;
          case FAILED, ERRORED -> DEPLOYMENT_FAILED;
          case ROLLED_BACK -> DEPLOYMENT_ROLLED_BACK;
          case ROLLBACK_FAILED -> DEPLOYMENT_ROLLBACK_FAILED;
          case REFUSED -> DEPLOYMENT_REFUSED;
          case ABORTED -> DEPLOYMENT_ABORTED;
          default -> null;
        });
  }
}
