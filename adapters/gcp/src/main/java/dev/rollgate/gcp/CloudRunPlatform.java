package dev.rollgate.gcp;

import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
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
 */
final class CloudRunPlatform implements ServicePlatform {

  /** What {@code target.platform} says for Cloud Run. */
  static final String NAME = "cloudrun";

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
   * keep minimum instances), and older revisions are what a rollback restores.
   */
  @Override
  public void retire(TargetSpec target, String serving) {}

  private CloudRunTarget target(TargetSpec target) throws PlatformException {
    return CloudRunTarget.of(target, defaultProject);
  }

  static TrafficTarget toRevision(String revision) {
    return TrafficTarget.newBuilder()
        .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
        .setRevision(revision)
        .setPercent(100)
        .build();
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
