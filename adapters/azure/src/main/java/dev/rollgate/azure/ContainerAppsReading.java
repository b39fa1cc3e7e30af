package dev.rollgate.azure;

import com.azure.resourcemanager.appcontainers.fluent.models.ContainerAppInner;
import com.azure.resourcemanager.appcontainers.fluent.models.RevisionInner;
import com.azure.resourcemanager.appcontainers.models.Ingress;
import com.azure.resourcemanager.appcontainers.models.RevisionHealthState;
import com.azure.resourcemanager.appcontainers.models.RevisionProvisioningState;
import com.azure.resourcemanager.appcontainers.models.TrafficWeight;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a rollout reads on Container Apps. The app's {@code provisioningState} says only that ARM
 * accepted the change: it reads Succeeded while the new revision's container crashes. So a revision
 * serves only when all of these hold: its {@code provisioningState} is Provisioned, its {@code
 * runningState} Running, its {@code healthState} Healthy, it is active, and its own {@code
 * trafficWeight} is the weight the app's ingress traffic, read back, gives it by name (100% for a
 * release, a canary's share while one runs, 0% for a staged revision). A revision that failed, or
 * runs Failed/Degraded, or is Unhealthy, is FAILED with its own states and {@code
 * provisioningError}; one still Provisioning or Activating past {@link
 * AzureSettings#revisionTimeout()} after it was created is FAILED too; one the traffic no longer
 * names at all was replaced (REVERTED).
 */
final class ContainerAppsReading {

  private ContainerAppsReading() {}

  static RolloutStatus of(
      ContainerAppInner app,
      String revision,
      Optional<RevisionInner> found,
      Instant now,
      Duration timeout) {
    if (found.isEmpty()) {
      return RolloutStatus.failed(
          "revision '%s' does not exist (deleted, or never created)".formatted(revision));
    }
    RevisionInner r = found.get();
    if (RevisionProvisioningState.FAILED.equals(r.provisioningState())) {
      return RolloutStatus.failed("Container Apps: " + states(r) + " failed to provision");
    }
    Map<String, Integer> traffic = traffic(app);
    Map<String, Integer> named = named(app);
    boolean ingress = ingress(app) != null;
    Integer weight = named.get(revision);
    if (ingress && weight == null && !traffic.isEmpty()) {
      return RolloutStatus.reverted(
          "the app's traffic now goes to %s, not %s".formatted(traffic, revision));
    }
    int holds = r.trafficWeight() != null ? r.trafficWeight() : traffic.getOrDefault(revision, 0);
    String running = r.runningState() == null ? "" : r.runningState().toString();
    if (running.equals("Failed")
        || running.equals("Degraded")
        || RevisionHealthState.UNHEALTHY.equals(r.healthState())) {
      return RolloutStatus.failed(
          "Container Apps: "
              + states(r)
              + " does not run (the app's provisioningState "
              + app.provisioningState()
              + " is not taken for it)");
    }
    boolean provisioned = RevisionProvisioningState.PROVISIONED.equals(r.provisioningState());
    boolean runs = running.startsWith("Running");
    boolean healthy = RevisionHealthState.HEALTHY.equals(r.healthState());
    boolean active = !Boolean.FALSE.equals(r.active());
    if (provisioned
        && runs
        && healthy
        && active
        && (!ingress || weight != null && holds == weight)) {
      return RolloutStatus.ready(
          "revision %s is Provisioned, %s and Healthy%s"
              .formatted(
                  revision,
                  running,
                  ingress ? ", with %d%% of the traffic".formatted(weight) : ""));
    }
    Instant created = r.createdTime() == null ? null : r.createdTime().toInstant();
    if (created != null && !now.isBefore(created.plus(timeout))) {
      return RolloutStatus.failed(
          "Container Apps: %s is still not serving %s after it was created (rollgate.azure.revision-timeout)"
              .formatted(states(r), timeout));
    }
    return RolloutStatus.inProgress(states(r) + ", traffic " + traffic);
  }

  /** The revision serving the most traffic, by the app's ingress traffic read back, or null. */
  static String serving(ContainerAppInner app) {
    String best = null;
    int most = 0;
    for (Map.Entry<String, Integer> e : traffic(app).entrySet()) {
      if (e.getValue() > most) {
        best = e.getKey();
        most = e.getValue();
      }
    }
    if (best == null && ingress(app) == null) {
      return app.latestReadyRevisionName();
    }
    return best;
  }

  /** The app's traffic weights by revision name ({@code latestRevision} resolved). */
  static Map<String, Integer> traffic(ContainerAppInner app) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    Ingress ingress = ingress(app);
    List<TrafficWeight> traffic = ingress == null ? null : ingress.traffic();
    if (traffic == null) {
      return weights;
    }
    for (TrafficWeight w : traffic) {
      String name =
          Boolean.TRUE.equals(w.latestRevision()) ? app.latestRevisionName() : w.revisionName();
      if (name != null && w.weight() != null && w.weight() > 0) {
        weights.merge(name, w.weight(), Integer::sum);
      }
    }
    return weights;
  }

  /**
   * Every revision the app's ingress traffic names, with its weight, 0 included ({@code
   * latestRevision} resolved): what a traffic update asked for.
   */
  static Map<String, Integer> named(ContainerAppInner app) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    Ingress ingress = ingress(app);
    List<TrafficWeight> traffic = ingress == null ? null : ingress.traffic();
    if (traffic == null) {
      return weights;
    }
    for (TrafficWeight w : traffic) {
      String name =
          Boolean.TRUE.equals(w.latestRevision()) ? app.latestRevisionName() : w.revisionName();
      if (name != null) {
        weights.merge(name, w.weight() == null ? 0 : w.weight(), Integer::sum);
      }
    }
    return weights;
  }

  static Ingress ingress(ContainerAppInner app) {
    return app.configuration() == null ? null : app.configuration().ingress();
  }

  /** {@code revision shop--rg-d-1 (provisioningState X, runningState Y, healthState Z: error)}. */
  static String states(RevisionInner r) {
    return "revision %s (provisioningState %s, runningState %s, healthState %s%s)"
        .formatted(
            r.name(),
            r.provisioningState(),
            r.runningState(),
            r.healthState(),
            r.provisioningError() == null || r.provisioningError().isBlank()
                ? ""
                : "; provisioningError: " + r.provisioningError());
  }
}
