package dev.rollgate.aws;

import dev.rollgate.aws.EcsApi.TaggedTaskDefinition;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * ECS services with the rolling-update (ECS) deployment controller. A revision is a task definition
 * revision, named by its ARN; a release registers one that differs from the serving one only in the
 * named container's image, and points the service at it.
 */
final class EcsPlatform implements ServicePlatform {

  /** What {@code target.platform} says for ECS. */
  static final String NAME = "ecs";

  private final EcsApi api;
  private final ReleaseTaskDefinitions releases;

  EcsPlatform(EcsApi api, ReleaseTaskDefinitions releases) {
    this.api = api;
    this.releases = releases;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> validate(TargetSpec target) {
    return EcsTarget.validate(target);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A service whose task definition is tagged {@code rollgate:placeholder} serves nothing yet.
   */
  @Override
  public ServiceState describe(TargetSpec target) throws PlatformException {
    EcsTarget t = EcsTarget.of(target);
    Service service = api.service(t);
    TaggedTaskDefinition td = api.taskDefinition(t, service.taskDefinition());
    if (td.tags().containsKey(ReleaseTaskDefinitions.PLACEHOLDER_TAG)) {
      return new ServiceState(null, null, t.url());
    }
    ContainerDefinition container = ReleaseTaskDefinitions.containerOf(td.definition(), t);
    ImageRef image;
    try {
      image = ImageRef.parse(container.image());
    } catch (IllegalArgumentException e) {
      throw new PlatformException(
          "ecs: %s: container '%s' runs an image rollgate cannot read: '%s' (%s)"
              .formatted(t.display(), t.container(), container.image(), e.getMessage()),
          false);
    }
    return new ServiceState(service.taskDefinition(), image, t.url());
  }

  @Override
  public Revision rollOut(TargetSpec target, String deploymentId, ImageRef image)
      throws PlatformException {
    EcsTarget t = EcsTarget.of(target);
    Service service = api.service(t);
    requireRollingUpdates(t, service);
    String revision = releases.ensure(t, service, deploymentId, image);
    // The service already points at it when an earlier attempt's answer was lost: no second
    // update, so no second ECS deployment.
    if (!revision.equals(service.taskDefinition())) {
      api.updateService(t, revision);
    }
    return new Revision(revision, t.url());
  }

  /**
   * The fields the task definition {@link #rollOut} would register differs in from the serving one,
   * built by the same {@link ReleaseTaskDefinitions#release}; see {@link EcsPlans}. Reads only.
   */
  @Override
  public List<Change> plan(TargetSpec target, ImageRef image) throws PlatformException {
    EcsTarget t = EcsTarget.of(target);
    Service service = api.service(t);
    requireRollingUpdates(t, service);
    return EcsPlans.changes(api.taskDefinition(t, service.taskDefinition()), t, image);
  }

  @Override
  public RolloutStatus observe(TargetSpec target, String revision) throws PlatformException {
    EcsTarget t = EcsTarget.of(target);
    return RolloutReading.of(api.service(t), revision);
  }

  @Override
  public void restore(TargetSpec target, String revision) throws PlatformException {
    EcsTarget t = EcsTarget.of(target);
    Service service = api.service(t);
    String primary =
        service.deployments().stream()
            .filter(d -> "PRIMARY".equals(d.status()))
            .map(d -> d.taskDefinition())
            .findFirst()
            .orElse(service.taskDefinition());
    // ECS's own rollback may have restored it already: then there is nothing to ask for.
    if (revision.equals(primary) && revision.equals(service.taskDefinition())) {
      return;
    }
    requireRollingUpdates(t, service);
    api.updateService(t, revision);
  }

  /**
   * Keeps every revision: older task definitions are what a rollback restores, and ECS stops the
   * old tasks itself once the new deployment completes.
   */
  @Override
  public void retire(TargetSpec target, String serving) {}

  private static void requireRollingUpdates(EcsTarget t, Service service) throws PlatformException {
    String controller =
        service.deploymentController() == null
            ? "ECS"
            : service.deploymentController().typeAsString();
    if (!"ECS".equals(controller)) {
      throw new PlatformException(
          ("ecs: %s uses the %s deployment controller; rollgate drives rolling updates (ECS)"
                  + " only: switch the service's deploymentController to ECS")
              .formatted(t.describe(), controller),
          false);
    }
  }
}
