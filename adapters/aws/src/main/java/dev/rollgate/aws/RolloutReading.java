package dev.rollgate.aws;

import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Reads a rollout's state from a DescribeServices answer. Only the PRIMARY deployment counts: a
 * revision whose deployment is not PRIMARY no longer serves, whatever its own state says, which is
 * how circuit-breaker and alarm rollbacks look (a newer PRIMARY deployment back to the old task
 * definition, the revision's own deployment FAILED). Such a rollout is never READY.
 */
final class RolloutReading {

  private RolloutReading() {}

  static RolloutStatus of(Service service, String revision) {
    Optional<Deployment> primary =
        service.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst();
    if (primary.isEmpty()) {
      return RolloutStatus.inProgress("no PRIMARY deployment yet for " + service.serviceName());
    }
    Deployment p = primary.get();
    if (!revision.equals(p.taskDefinition())) {
      return replaced(service, p, revision);
    }
    DeploymentRolloutState state = p.rolloutState();
    if (state == DeploymentRolloutState.COMPLETED) {
      return RolloutStatus.ready(
          "%s serves: deployment %s COMPLETED, %s"
              .formatted(shortName(revision), p.id(), counts(p)));
    }
    if (state == DeploymentRolloutState.FAILED) {
      return RolloutStatus.failed(
          "deployment %s of %s FAILED: %s (%s)"
              .formatted(p.id(), shortName(revision), reason(p), counts(p)));
    }
    if (state == null || state == DeploymentRolloutState.UNKNOWN_TO_SDK_VERSION) {
      // No rolloutState (e.g. behind a Classic Load Balancer): steady means one deployment with
      // every desired task running.
      boolean steady =
          service.deployments().size() == 1
              && p.runningCount() != null
              && p.runningCount().equals(p.desiredCount());
      return steady
          ? RolloutStatus.ready(shortName(revision) + " serves: " + counts(p))
          : RolloutStatus.inProgress(shortName(revision) + " starting: " + counts(p));
    }
    return RolloutStatus.inProgress(
        "deployment %s of %s IN_PROGRESS: %s".formatted(p.id(), shortName(revision), counts(p)));
  }

  private static RolloutStatus replaced(Service service, Deployment primary, String revision) {
    Optional<Deployment> mine =
        service.deployments().stream()
            .filter(d -> revision.equals(d.taskDefinition()))
            .reduce((a, b) -> b);
    String now = shortName(primary.taskDefinition());
    boolean rollback =
        mine.map(d -> d.rolloutState() == DeploymentRolloutState.FAILED).orElse(false)
            || mentionsRollback(primary.rolloutStateReason());
    if (rollback) {
      String why = mine.map(RolloutReading::reason).orElse(reason(primary));
      String by =
          why.toLowerCase(Locale.ROOT).contains("alarm") ? "an alarm" : "the circuit breaker";
      return RolloutStatus.reverted(
          "ECS rolled %s back to %s (%s): %s".formatted(shortName(revision), now, by, why));
    }
    return RolloutStatus.reverted(
        "%s no longer serves: the PRIMARY deployment %s runs %s (another deployment replaced it)"
            .formatted(shortName(revision), primary.id(), now));
  }

  private static boolean mentionsRollback(String reason) {
    if (reason == null) {
      return false;
    }
    String r = reason.toLowerCase(Locale.ROOT);
    return r.contains("rollback") || r.contains("rolling back") || r.contains("rolled back");
  }

  private static String reason(Deployment d) {
    return d.rolloutStateReason() == null || d.rolloutStateReason().isBlank()
        ? "no reason given"
        : d.rolloutStateReason();
  }

  private static String counts(Deployment d) {
    String s = "%s/%s tasks running".formatted(n(d.runningCount()), n(d.desiredCount()));
    if (d.pendingCount() != null && d.pendingCount() > 0) {
      s += ", " + d.pendingCount() + " pending";
    }
    if (d.failedTasks() != null && d.failedTasks() > 0) {
      s += ", " + d.failedTasks() + " failed";
    }
    return s;
  }

  private static String n(Integer i) {
    return i == null ? "?" : i.toString();
  }

  /** {@code family:revision} of a task definition ARN, for people. */
  static String shortName(String taskDefinitionArn) {
    if (taskDefinitionArn == null) {
      return "nothing";
    }
    int slash = taskDefinitionArn.lastIndexOf('/');
    return slash < 0 ? taskDefinitionArn : taskDefinitionArn.substring(slash + 1);
  }
}
