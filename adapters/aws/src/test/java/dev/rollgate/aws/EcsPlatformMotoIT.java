package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.contract.ServicePlatformContract;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.core.port.ServicePlatform.Revision;
import dev.rollgate.testing.Deployments;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * The ServicePlatform contract against EcsPlatform on moto server, plus the effects of its calls on
 * moto's state. moto has no deployment controller, so {@link EcsProxy} between the SDK and moto
 * plays it: a service whose task definition changed shows its new PRIMARY deployment IN_PROGRESS
 * for one DescribeServices, then COMPLETED. Everything else is moto's own state.
 */
@ExtendWith(MotoServer.Extension.class)
class EcsPlatformMotoIT extends ServicePlatformContract {

  private static EcsProxy proxy;
  private static MotoEcs moto;
  private static AwsAdapter aws;
  private static ServicePlatform ecs;
  private final Set<String> created = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start(MotoServer server) throws IOException {
    proxy = new EcsProxy(server.endpoint()).simulateDeployments(1);
    moto = new MotoEcs(server);
    aws = new AwsAdapter(MotoServer.settings(proxy.endpoint()));
    ecs = aws.ecsPlatform();
  }

  @AfterAll
  static void stop() {
    aws.close();
    moto.close();
    proxy.close();
  }

  @Override
  protected ServicePlatform platform() {
    return ecs;
  }

  @Override
  protected TargetSpec target(String service) {
    return created.add(service)
        ? moto.createService(service)
        : MotoEcs.target("cl-" + service, service);
  }

  @Override
  protected ImageRef healthyImage(int n) {
    return new ImageRef(
        "123456789012.dkr.ecr.us-east-1.amazonaws.com", "shop", "v" + n, Deployments.digest(n));
  }

  @Test
  void rollOut_shouldChangeOnlyTheNamedContainersImage_whenItRegistersARelease() throws Exception {
    // GIVEN a service serving its placeholder task definition
    TargetSpec target = target(freshService());
    String before = moto.serviceTaskDefinition(target);

    // WHEN
    Revision revision = ecs.rollOut(target, "d-1", healthyImage(1));

    // THEN the new revision is the old one with the app's image pinned by digest, nothing else
    TaskDefinition old = moto.taskDefinition(before);
    TaskDefinition now = moto.taskDefinition(revision.id());
    ContainerDefinition app = now.containerDefinitions().get(0);
    assertEquals(healthyImage(1).pinned(), app.image());
    assertTrue(app.image().contains("@sha256:"), "pinned by digest: " + app.image());
    assertEquals(MotoEcs.SIDECAR_IMAGE, now.containerDefinitions().get(1).image());
    assertEquals(comparable(old), comparable(now));
    assertFalse(old.containerDefinitions().get(0).secrets().isEmpty(), "fixture has secrets");
    // ... its tags carried over, the placeholder mark dropped, the deployment's id added
    Map<String, String> tags = new HashMap<>(moto.tags(before));
    tags.remove(ReleaseTaskDefinitions.PLACEHOLDER_TAG);
    tags.put(ReleaseTaskDefinitions.DEPLOYMENT_TAG, "d-1");
    assertEquals(tags, moto.tags(revision.id()));
    // ... and the service runs it
    assertEquals(revision.id(), moto.serviceTaskDefinition(target));
  }

  @Test
  void rollOut_shouldRegisterAndUpdateOnce_whenResumedAfterACrashBetweenRegisterAndUpdate()
      throws Exception {
    // GIVEN a process that registered the release's revision and died before UpdateService
    TargetSpec target = target(freshService());
    EcsTarget t = EcsTarget.of(target);
    try (AwsAdapter crashed = new AwsAdapter(MotoServer.settings(proxy.endpoint()))) {
      EcsApi api = new EcsApi(new AwsClients(crashed.settings()));
      new ReleaseTaskDefinitions(api, 10).ensure(t, api.service(t), "d-1", healthyImage(1));
    }
    assertEquals(2, moto.revisions(target.get("service")).size(), "placeholder + release");

    // WHEN the next invocation rolls the deployment out, twice
    Revision revision = ecs.rollOut(target, "d-1", healthyImage(1));
    ecs.rollOut(target, "d-1", healthyImage(1));

    // THEN it reused the registered revision and updated the service once
    assertEquals(2, moto.revisions(target.get("service")).size(), "no second registration");
    assertEquals(1, proxy.forwarded("RegisterTaskDefinition", "family", target.get("service")));
    assertEquals(1, proxy.forwarded("UpdateService", "service", target.get("service")));
    assertEquals(revision.id(), moto.serviceTaskDefinition(target));
  }

  @Test
  void rollOut_shouldRegisterOneRevisionPerDeployment_whenDeploymentsFollowEachOther()
      throws Exception {
    // GIVEN
    TargetSpec target = target(freshService());

    // WHEN three deployments roll out, each one twice
    List<String> revisions = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      revisions.add(ecs.rollOut(target, "d-" + n, healthyImage(n)).id());
      ecs.rollOut(target, "d-" + n, healthyImage(n));
    }

    // THEN one revision each, tagged with its deployment, built on its predecessor
    assertEquals(4, moto.revisions(target.get("service")).size());
    for (int n = 1; n <= 3; n++) {
      assertEquals("d-" + n, moto.tags(revisions.get(n - 1)).get("rollgate:deployment"));
    }
    assertEquals(3, proxy.forwarded("UpdateService", "service", target.get("service")));
  }

  @Test
  void restore_shouldNotUpdateTheService_whenTheRevisionAlreadyServes() throws Exception {
    // GIVEN a revision that serves
    TargetSpec target = target(freshService());
    Revision revision = ecs.rollOut(target, "d-1", healthyImage(1));
    awaitState(target, revision.id(), ServicePlatform.RolloutStatus.State.READY);

    // WHEN it is restored
    ecs.restore(target, revision.id());

    // THEN nothing was asked of ECS beyond the rollout's own update
    assertEquals(1, proxy.forwarded("UpdateService", "service", target.get("service")));
  }

  @Test
  void describe_shouldFailWithoutRetry_whenTheServiceDoesNotExist() {
    // GIVEN a target naming a service moto does not know (its cluster exists)
    TargetSpec existing = target(freshService());
    TargetSpec missing = MotoEcs.target(existing.get("cluster"), "no-such-service");

    // WHEN
    PlatformException e = assertThrows(PlatformException.class, () -> ecs.describe(missing));

    // THEN it names the service, the cluster and the fix, and says a retry will not help
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("'no-such-service'"), e.getMessage());
    assertTrue(e.getMessage().contains(existing.get("cluster")), e.getMessage());
    assertTrue(e.getMessage().contains("target.service"), e.getMessage());
  }

  @Test
  void rollOut_shouldRefuseWithoutRetry_whenTheContainerIsNotInTheTaskDefinition() {
    // GIVEN a target naming a container the task definition does not have
    TargetSpec good = target(freshService());
    Map<String, String> settings = new HashMap<>(good.properties());
    settings.put("container", "web");
    TargetSpec wrong = new TargetSpec("ecs", settings, good.path());

    // WHEN
    PlatformException e =
        assertThrows(PlatformException.class, () -> ecs.rollOut(wrong, "d-1", healthyImage(1)));

    // THEN nothing was registered and the message lists the containers there are
    assertFalse(e.retryable());
    assertTrue(
        e.getMessage().contains("no container 'web' (it has: app, log-router)"), e.getMessage());
    assertEquals(1, moto.revisions(good.get("service")).size());
  }

  @Test
  void describe_shouldShowThePinnedImage_whenARevisionServes() throws Exception {
    // GIVEN
    TargetSpec target = target(freshService());
    Revision revision = ecs.rollOut(target, "d-1", healthyImage(1));

    // WHEN
    ServicePlatform.ServiceState state = ecs.describe(target);

    // THEN
    assertEquals(revision.id(), state.revision());
    assertEquals(healthyImage(1).digest(), state.image().digest());
    assertNull(state.image().tag(), "ECS keeps the pinned reference only");
    assertEquals("https://" + target.get("service") + ".ecs.test", state.url());
  }

  /** A task definition without what differs between revisions by design. */
  private static TaskDefinition comparable(TaskDefinition td) {
    List<ContainerDefinition> containers = new ArrayList<>();
    for (ContainerDefinition c : td.containerDefinitions()) {
      containers.add(c.name().equals("app") ? c.toBuilder().image("<image>").build() : c);
    }
    return td.toBuilder()
        .taskDefinitionArn(null)
        .revision(null)
        .registeredAt(null)
        .registeredBy(null)
        .containerDefinitions(containers)
        .build();
  }
}
