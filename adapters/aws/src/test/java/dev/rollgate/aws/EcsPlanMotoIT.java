package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.core.port.ServicePlatform.Change;
import dev.rollgate.testing.Deployments;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An ECS plan on moto server: it lists, field by field, what the following rollout then registers
 * (the new task definition read back from moto against the one that served), and only describes:
 * every call that reached the proxy while planning is a Describe or a List.
 */
@ExtendWith(MotoServer.Extension.class)
class EcsPlanMotoIT {

  private static EcsProxy proxy;
  private static MotoEcs moto;
  private static AwsAdapter aws;
  private static ServicePlatform ecs;

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

  @Test
  void plan_shouldListWhatTheRolloutThenRegisters_andOnlyDescribe() throws Exception {
    // GIVEN a service (two containers, env, secrets, health check, Fargate sizes) a release serves
    TargetSpec target = moto.createService("plan-" + UUID.randomUUID().toString().substring(0, 8));
    String first = ecs.rollOut(target, "d-1", image(1)).id();
    assertEquals(first, moto.serviceTaskDefinition(target));
    Map<String, Integer> calls = proxy.received();
    int revisions = moto.revisions(target.get("service")).size();

    // WHEN the second release is planned
    List<Change> plan = ecs.plan(target, image(2));

    // THEN ECS was only described: no registration, no update, the service as it was
    Map<String, Integer> during = new TreeMap<>(proxy.received());
    calls.forEach((operation, n) -> during.merge(operation, -n, Integer::sum));
    during.values().removeIf(n -> n == 0);
    assertTrue(
        during.keySet().stream().allMatch(o -> o.startsWith("Describe") || o.startsWith("List")),
        during.toString());
    assertEquals(revisions, moto.revisions(target.get("service")).size());
    assertEquals(first, moto.serviceTaskDefinition(target));
    // ... and it names the app container's image, from what serves to the release's, only
    assertEquals(
        List.of(
            new Change("containerDefinitions[app].image", image(1).pinned(), image(2).pinned())),
        plan);

    // WHEN the release rolls out
    String second = ecs.rollOut(target, "d-2", image(2)).id();

    // THEN the task definition it registered differs from the serving one in the planned fields
    List<Change> applied =
        EcsPlans.between(
            moto.taskDefinition(first),
            ReleaseTaskDefinitions.registration(moto.taskDefinition(second)).build());
    assertEquals(plan, applied);
  }

  @Test
  void plan_shouldRefuseAsTheRolloutWould_whenTheImageHasNoDigest() {
    // GIVEN a service and an image known by its tag only
    TargetSpec target = moto.createService("tag-" + UUID.randomUUID().toString().substring(0, 8));
    ImageRef tagOnly = new ImageRef(image(1).registry(), image(1).repository(), "v1", null);

    // WHEN it is planned
    PlatformException e = assertThrows(PlatformException.class, () -> ecs.plan(target, tagOnly));

    // THEN it says why the rollout would refuse it
    assertTrue(e.getMessage().contains("has no digest"), e.getMessage());
  }

  private static ImageRef image(int n) {
    return new ImageRef(
        "123456789012.dkr.ecr.us-east-1.amazonaws.com", "shop", "v" + n, Deployments.digest(n));
  }
}
