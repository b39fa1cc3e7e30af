package dev.rollgate.gcp;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a rollout reads on Cloud Run. A revision serves only when all of these hold, never on the
 * operation's word alone: {@code traffic_statuses} give it the share the service's {@code traffic}
 * asks for it (100% for a release, a canary's share while one runs, 0% for a staged revision still
 * named in the traffic under its tag), {@code observed_generation} equals {@code generation} (Cloud
 * Run has acted on the latest change), its Ready condition holds, and when it is the latest created
 * revision, it is also the latest ready one. A revision whose Ready condition failed is FAILED with
 * Cloud Run's own message and {@code revisionReason}; one the service's traffic no longer names at
 * all was replaced (REVERTED).
 */
final class CloudRunReading {

  private CloudRunReading() {}

  static RolloutStatus of(Service s, String revision, Optional<Revision> r, String fullName) {
    if (r.isEmpty()) {
      return RolloutStatus.failed(
          "revision '%s' does not exist (deleted, or never created)".formatted(revision));
    }
    Optional<Condition> ready =
        r.get().getConditionsList().stream().filter(c -> c.getType().equals("Ready")).findFirst();
    if (ready.isPresent() && ready.get().getState() == Condition.State.CONDITION_FAILED) {
      return RolloutStatus.failed(failure(revision, ready.get()));
    }
    if (s.getLatestCreatedRevision().equals(fullName)
        && s.getTerminalCondition().getState() == Condition.State.CONDITION_FAILED) {
      // The service's operation failed on this revision (a failed operation's words are here).
      return RolloutStatus.failed(failure(revision, s.getTerminalCondition()));
    }
    Integer wanted = wanted(s, revision, fullName);
    boolean serving = wanted != null && percent(s, revision) == wanted;
    boolean observed = s.getObservedGeneration() == s.getGeneration();
    boolean isReady =
        ready.isPresent() && ready.get().getState() == Condition.State.CONDITION_SUCCEEDED;
    boolean latest =
        !s.getLatestCreatedRevision().equals(fullName)
            || s.getLatestReadyRevision().equals(fullName);
    if (serving && observed && isReady && latest) {
      return RolloutStatus.ready(
          "revision %s serves %d%% (generation %d observed)"
              .formatted(revision, wanted, s.getGeneration()));
    }
    if (wanted == null) {
      return RolloutStatus.reverted(
          "the service's traffic now goes to %s, not %s"
              .formatted(traffic(s.getTrafficList()), revision));
    }
    return RolloutStatus.inProgress(
        "revision %s: traffic_statuses %s, observed generation %d of %d, latest ready %s%s"
            .formatted(
                revision,
                statuses(s.getTrafficStatusesList()),
                s.getObservedGeneration(),
                s.getGeneration(),
                shortName(s.getLatestReadyRevision()),
                ready.isPresent() && !ready.get().getMessage().isEmpty()
                    ? "; " + ready.get().getMessage()
                    : ""));
  }

  /** The revision serving the most traffic by the service's {@code traffic_statuses}, or null. */
  static String serving(Service s) {
    TrafficTargetStatus best = null;
    for (TrafficTargetStatus t : s.getTrafficStatusesList()) {
      if (best == null || t.getPercent() > best.getPercent()) {
        best = t;
      }
    }
    if (best == null || best.getPercent() == 0) {
      return null;
    }
    if (best.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST) {
      return s.getLatestReadyRevision().isEmpty() ? null : shortName(s.getLatestReadyRevision());
    }
    return best.getRevision();
  }

  private static int percent(Service s, String revision) {
    int sum = 0;
    for (TrafficTargetStatus t : s.getTrafficStatusesList()) {
      String named =
          t.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST
              ? shortName(s.getLatestReadyRevision())
              : t.getRevision();
      if (revision.equals(named)) {
        sum += t.getPercent();
      }
    }
    return sum;
  }

  /**
   * The share of the traffic the service's desired {@code traffic} gives {@code revision}, or null
   * when it no longer names it at all.
   */
  private static Integer wanted(Service s, String revision, String fullName) {
    Integer share = null;
    for (TrafficTarget t : s.getTrafficList()) {
      boolean it =
          t.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST
              ? s.getLatestCreatedRevision().equals(fullName)
              : revision.equals(t.getRevision());
      if (it) {
        share = (share == null ? 0 : share) + t.getPercent();
      }
    }
    return share;
  }

  private static String failure(String revision, Condition c) {
    String reason =
        switch (c.getReasonsCase()) {
          case REVISION_REASON -> "revisionReason " + c.getRevisionReason();
          case REASON -> "reason " + c.getReason();
          case EXECUTION_REASON -> "executionReason " + c.getExecutionReason();
          default -> "no reason given";
        };
    return "Cloud Run: revision %s is not ready (%s): %s"
        .formatted(revision, reason, c.getMessage());
  }

  static String traffic(List<TrafficTarget> traffic) {
    return traffic.stream()
        .map(
            t ->
                (t.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST
                        ? "LATEST"
                        : t.getRevision())
                    + " "
                    + t.getPercent()
                    + "%")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String statuses(List<TrafficTargetStatus> traffic) {
    return traffic.stream()
        .map(
            t ->
                (t.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST
                        ? "LATEST"
                        : t.getRevision())
                    + " "
                    + t.getPercent()
                    + "%")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  static String shortName(String name) {
    return name == null || name.isEmpty() ? "none" : name.substring(name.lastIndexOf('/') + 1);
  }
}
