package dev.rollgate.gcp;

import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import java.util.List;
import java.util.Optional;

/**
 * Cloud Run services ({@code platform: cloudrun}) over the Admin API v2. A release is a revision
 * named from the deployment ({@link ReleaseTemplates#revisionName}) whose template differs from the
 * serving one only in the named container's image, pinned by digest; traffic is set to it by name,
 * 100%, in the same update (never left to LATEST, so a revision pinned by an earlier rollback
 * cannot keep serving while the release gets 0%). The update carries the etag it was read with; a
 * conflict is read again and applied again ({@link GcpFaults}), and a retry that finds the revision
 * already made creates no second one.
 *
 * <p>A canary ({@link #splitsTraffic}): {@link #stage} makes the release's revision in an update
 * whose traffic keeps 100% on the serving revision, by name, and gives the new one 0% under the tag
 * {@value #CANARY_TAG}, whose own URL ({@code trafficStatuses[].uri}, {@code
 * https://canary---<service host>}) reaches only it; {@link #split} sets the two revisions' shares
 * by name, keeping the tag on the new one. {@link #restore} drops both (100% back by name), and
 * {@link #retire} drops the tag once the release serves 100%.
 */
final class CloudRunPlatform implements ServicePlatform {

  /** What {@code target.platform} says for Cloud Run. */
  static final String NAME = "cloudrun";

  /** The traffic tag of a staged revision: its URL reaches it whatever its share. */
  static final String CANARY_TAG = "canary";

  private final CloudRunServices api;
  private final GcpFaults faults;
  private final String defaultProject;

  CloudRunPlatform(CloudRunServices api, GcpFaults faults, String defaultProject) {
    this.api = api;
    this.faults = faults;
    this.defaultProject = defaultProject;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> validate(TargetSpec target) {
    return CloudRunTarget.validate(target, defaultProject);
  }

  /**
   * {@inheritDoc}
   *
   * <p>What {@code traffic_statuses} say serves (not what {@code traffic} asks for); a service
   * whose serving revision is labelled {@code rollgate-placeholder} serves nothing yet.
   */
  @Override
  public ServiceState describe(TargetSpec target) throws PlatformException {
    CloudRunTarget t = target(target);
    return faults.retrying(
        "describe " + t.describe(),
        () -> {
          Service s = api.service(t);
          String serving = CloudRunReading.serving(s);
          if (serving == null) {
            return new ServiceState(null, null, url(t, s));
          }
          Optional<com.google.cloud.run.v2.Revision> r = api.revision(t, serving);
          if (r.isEmpty() || r.get().containsLabels(ReleaseTemplates.PLACEHOLDER_LABEL)) {
            return new ServiceState(null, null, url(t, s));
          }
          return new ServiceState(serving, image(t, r.get()), url(t, s));
        });
  }

  @Override
  public Revision rollOut(TargetSpec target, String deploymentId, ImageRef image)
      throws PlatformException {
    CloudRunTarget t = target(target);
    String name = ReleaseTemplates.revisionName(t.service(), deploymentId);
    return faults.retrying(
        "roll out " + image.display() + " to " + t.describe(),
        () -> {
          Service s = api.service(t);
          // Made by an earlier attempt whose answer was lost, or by a run that died: no second.
          if (name.equals(s.getTemplate().getRevision()) || api.revision(t, name).isPresent()) {
            return new Revision(name, url(t, s));
          }
          RevisionTemplate serving = s.getTemplate();
          int container =
              ReleaseTemplates.containerIndex(
                  serving.getContainersList(), t.container(), t.describe());
          Service release =
              s.toBuilder()
                  .setTemplate(ReleaseTemplates.release(serving, container, name, image))
                  .clearTraffic()
                  .addTraffic(toRevision(name))
                  .build();
          // How the operation ended is logged there; observe reports it with Cloud Run's words.
          api.update(t, release, "revision " + name);
          return new Revision(name, url(t, s));
        });
  }

  /**
   * The fields of the template and traffic {@link #rollOut} would send that differ from the
   * service's now; see {@link CloudRunPlans}. Reads only.
   */
  @Override
  public List<Change> plan(TargetSpec target, ImageRef image) throws PlatformException {
    CloudRunTarget t = target(target);
    return faults.retrying(
        "plan " + image.display() + " for " + t.describe(),
        () -> CloudRunPlans.changes(api.service(t), t, image));
  }

  @Override
  public boolean splitsTraffic() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The returned URL is the new revision's own: its tag's URL.
   */
  @Override
  public Revision stage(TargetSpec target, String deploymentId, ImageRef image)
      throws PlatformException {
    CloudRunTarget t = target(target);
    String name = ReleaseTemplates.revisionName(t.service(), deploymentId);
    return faults.retrying(
        "stage " + image.display() + " on " + t.describe(),
        () -> {
          Service s = api.service(t);
          // Made by an earlier attempt whose answer was lost, or by a run that died: no second.
          if (name.equals(s.getTemplate().getRevision()) || api.revision(t, name).isPresent()) {
            return new Revision(name, canaryUrl(s, name));
          }
          String stable = CloudRunReading.serving(s);
          if (stable == null) {
            throw new PlatformException(
                ("gcp: %s serves no revision yet, so there is nothing to keep the traffic on while"
                        + " a canary runs; deploy the first release without a canary")
                    .formatted(t.describe()),
                false);
          }
          RevisionTemplate serving = s.getTemplate();
          int container =
              ReleaseTemplates.containerIndex(
                  serving.getContainersList(), t.container(), t.describe());
          Service staged =
              s.toBuilder()
                  .setTemplate(ReleaseTemplates.release(serving, container, name, image))
                  .clearTraffic()
                  .addTraffic(share(stable, 100, ""))
                  .addTraffic(share(name, 0, CANARY_TAG))
                  .build();
          api.update(
              t, staged, "revision " + name + " staged with no traffic, " + stable + " 100%");
          return new Revision(name, canaryUrl(api.service(t), name));
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One update of the service's traffic (with the etag it was read with), none when the traffic
   * already reads so; Cloud Run refuses a revision it does not have (INVALID_ARGUMENT).
   */
  @Override
  public void split(TargetSpec target, String revision, String stable, int percent)
      throws PlatformException {
    if (percent < 0 || percent > 100) {
      throw new PlatformException("gcp: a traffic share is 0 to 100%, not " + percent, false);
    }
    CloudRunTarget t = target(target);
    List<TrafficTarget> wanted = splitTraffic(revision, stable, percent);
    faults.retrying(
        "send %d%% to %s of %s".formatted(percent, revision, t.describe()),
        () -> {
          Service s = api.service(t);
          if (s.getTrafficList().equals(wanted)) {
            return null;
          }
          Service next = s.toBuilder().clearTraffic().addAllTraffic(wanted).build();
          String what =
              "%d%% to %s, %d%% to %s".formatted(percent, revision, 100 - percent, stable);
          CloudRunServices.Outcome outcome = api.update(t, next, what);
          if (outcome.error() != null) {
            throw new PlatformException(
                "gcp: %s: sending %s failed: %s".formatted(t.describe(), what, outcome.error()),
                false);
          }
          return null;
        });
  }

  /** {@code stable} with the rest, {@code revision} at {@code percent} under the canary tag. */
  static List<TrafficTarget> splitTraffic(String revision, String stable, int percent) {
    if (percent == 100) {
      return List.of(share(revision, 100, CANARY_TAG));
    }
    // The stable one first: at 50% each, what serves is still the stable one (describe).
    return List.of(share(stable, 100 - percent, ""), share(revision, percent, CANARY_TAG));
  }

  @Override
  public RolloutStatus observe(TargetSpec target, String revision) throws PlatformException {
    CloudRunTarget t = target(target);
    return faults.retrying(
        "observe " + revision + " of " + t.describe(),
        () -> {
          Service s = api.service(t);
          return CloudRunReading.of(
              s, revision, api.revision(t, revision), t.revisionName(revision));
        });
  }

  /** Sends 100% of the traffic to {@code revision} by name, the template as it is. */
  @Override
  public void restore(TargetSpec target, String revision) throws PlatformException {
    CloudRunTarget t = target(target);
    faults.retrying(
        "restore " + revision + " of " + t.describe(),
        () -> {
          Service s = api.service(t);
          if (s.getTrafficCount() == 1 && s.getTraffic(0).equals(toRevision(revision))) {
            return null;
          }
          if (api.revision(t, revision).isEmpty()) {
            throw new PlatformException(
                "gcp: %s has no revision '%s' to restore; it may have been deleted"
                    .formatted(t.describe(), revision),
                false);
          }
          Service back = s.toBuilder().clearTraffic().addTraffic(toRevision(revision)).build();
          CloudRunServices.Outcome outcome = api.update(t, back, "traffic back to " + revision);
          if (outcome.error() != null) {
            throw new PlatformException(
                "gcp: %s: sending the traffic back to %s failed: %s"
                    .formatted(t.describe(), revision, outcome.error()),
                false);
          }
          return null;
        });
  }

  /**
   * Keeps every revision: Cloud Run bills revisions that serve no traffic for nothing (unless they
   * keep minimum instances), and older revisions are what a rollback restores. After a canary that
   * ended with {@code serving} at 100%, the canary tag goes: the traffic reads 100% to it by name.
   */
  @Override
  public void retire(TargetSpec target, String serving) throws PlatformException {
    CloudRunTarget t = target(target);
    faults.retrying(
        "retire the canary tag of " + t.describe(),
        () -> {
          Service s = api.service(t);
          boolean tagged = s.getTrafficList().stream().anyMatch(x -> x.getTag().equals(CANARY_TAG));
          boolean all =
              s.getTrafficList().stream()
                  .anyMatch(x -> x.getRevision().equals(serving) && x.getPercent() == 100);
          if (tagged && all) {
            api.update(
                t,
                s.toBuilder().clearTraffic().addTraffic(toRevision(serving)).build(),
                "canary tag removed, " + serving + " 100%");
          }
          return null;
        });
  }

  private CloudRunTarget target(TargetSpec target) throws PlatformException {
    return CloudRunTarget.of(target, defaultProject);
  }

  static TrafficTarget toRevision(String revision) {
    return share(revision, 100, "");
  }

  static TrafficTarget share(String revision, int percent, String tag) {
    return TrafficTarget.newBuilder()
        .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
        .setRevision(revision)
        .setPercent(percent)
        .setTag(tag)
        .build();
  }

  /**
   * The URL of {@code revision}'s canary tag as Cloud Run reports it ({@code
   * trafficStatuses[].uri}), or, before it does, as Cloud Run forms it: {@code
   * https://canary---<host of the service's uri>}; null when the service has no URL.
   */
  static String canaryUrl(Service s, String revision) {
    for (TrafficTargetStatus st : s.getTrafficStatusesList()) {
      if (st.getTag().equals(CANARY_TAG)
          && st.getRevision().equals(revision)
          && !st.getUri().isEmpty()) {
        return st.getUri();
      }
    }
    return s.getUri().startsWith("https://")
        ? "https://" + CANARY_TAG + "---" + s.getUri().substring("https://".length())
        : null;
  }

  private static String url(CloudRunTarget t, Service s) {
    return t.url() != null ? t.url() : s.getUri().isEmpty() ? null : s.getUri();
  }

  /** The release container's image, or null when rollgate cannot read it (a hand-made one). */
  private static ImageRef image(CloudRunTarget t, com.google.cloud.run.v2.Revision r)
      throws PlatformException {
    int i = ReleaseTemplates.containerIndex(r.getContainersList(), t.container(), t.describe());
    try {
      return ImageRef.parse(r.getContainers(i).getImage());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
