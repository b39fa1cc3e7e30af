package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.aws.EcsProxy.Fault;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.engine.DeploymentEngine;
import dev.rollgate.core.engine.EngineSettings;
import dev.rollgate.core.engine.Platforms;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.FakeClock;
import dev.rollgate.testing.InMemoryLedger;
import dev.rollgate.testing.ScriptedProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults between the SDK and moto: throttling (429), server errors (500) and answers lost after
 * moto acted (held past the client's timeout). Deployments still end as they should, and no
 * deployment registers two revisions or updates the service twice.
 */
@ExtendWith(MotoServer.Extension.class)
class EcsFaultInjectionIT {

  private static MotoServer server;
  private static MotoEcs moto;
  private EcsProxy proxy;
  private AwsAdapter aws;
  private ServicePlatform ecs;
  private TargetSpec target;

  @BeforeAll
  static void start(MotoServer motoServer) {
    server = motoServer;
    moto = new MotoEcs(motoServer);
  }

  @AfterAll
  static void stop() {
    moto.close();
  }

  @BeforeEach
  void proxy() throws Exception {
    proxy = new EcsProxy(server.endpoint()).simulateDeployments(1);
    aws =
        new AwsAdapter(
            MotoServer.settings(proxy.endpoint())
                .withTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(15), 3));
    ecs = aws.ecsPlatform();
    target =
        moto.createService(
            "flt-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36));
  }

  @AfterEach
  void close() {
    aws.close();
    proxy.close();
  }

  @Test
  void imagePushed_shouldSucceedWithOneRolloutEach_whenAQuarterOfAllCallsFail() throws Exception {
    // GIVEN the engine over EcsPlatform, and a proxy failing 25% of calls (seeded)
    Ledger ledger = new InMemoryLedger();
    RollgateApi api = api(ledger);
    proxy.faults(0.25, 20261122L);

    // WHEN three images are pushed one after the other
    for (int n = 1; n <= 3; n++) {
      api.imagePushed(FunctionRequest.of(EngineHarness.push("shop", "v" + n, n, "evt-" + n, null)));
    }

    // THEN each deployment SUCCEEDED
    List<Deployment> deployments = ledger.deployments("shop", "staging", 10);
    assertEquals(3, deployments.size());
    String service = target.get("service");
    for (Deployment d : deployments) {
      assertEquals(Phase.SUCCEEDED, d.phase(), d.id() + ": " + d.detail());
      // ... with exactly one registration and one UpdateService that reached ECS
      assertEquals(
          1,
          moto.revisions(service).stream()
              .filter(arn -> d.id().equals(moto.tags(arn).get("rollgate:deployment")))
              .count(),
          "revisions registered for " + d.id());
      assertEquals(1, proxy.forwarded("UpdateService", "taskDefinition", d.revision()));
    }
    assertEquals(4, moto.revisions(service).size(), "placeholder + one per deployment");
    assertEquals(deployments.get(0).revision(), moto.serviceTaskDefinition(target));
    // ... while every kind of fault happened
    for (Fault fault : Fault.values()) {
      assertTrue(proxy.injected(fault) > 0, fault + " was never injected");
    }
  }

  @Test
  void rollOut_shouldRegisterOnce_whenTheRegistrationsAnswerIsLost() throws Exception {
    // GIVEN the answer to the registration gets lost after ECS registered
    proxy.failNext("RegisterTaskDefinition", Fault.TIMEOUT);

    // WHEN the rollout fails, and is tried again
    PlatformException lost =
        assertThrows(PlatformException.class, () -> ecs.rollOut(target, "d-1", image(1)));
    ServicePlatform.Revision revision = ecs.rollOut(target, "d-1", image(1));

    // THEN the retry found the registered revision: one registration, one update
    assertTrue(lost.retryable(), lost.getMessage());
    assertEquals(1, proxy.received("RegisterTaskDefinition"), "not retried blindly by the SDK");
    assertEquals(2, moto.revisions(target.get("service")).size());
    assertEquals(1, proxy.forwarded("UpdateService").size());
    assertEquals(revision.id(), moto.serviceTaskDefinition(target));
  }

  @Test
  void rollOut_shouldUpdateOnce_whenTheUpdatesAnswerIsLost() throws Exception {
    // GIVEN the answer to UpdateService gets lost after ECS updated the service
    proxy.failNext("UpdateService", Fault.TIMEOUT);

    // WHEN the rollout fails, and is tried again
    assertThrows(PlatformException.class, () -> ecs.rollOut(target, "d-1", image(1)));
    ServicePlatform.Revision revision = ecs.rollOut(target, "d-1", image(1));

    // THEN the retry saw the service already on the revision
    assertEquals(1, proxy.received("UpdateService"));
    assertEquals(1, proxy.forwarded("RegisterTaskDefinition").size());
    assertEquals(revision.id(), moto.serviceTaskDefinition(target));
  }

  @Test
  void describe_shouldSucceed_whenTheSdkRetriesAThrottledRead() throws Exception {
    // GIVEN
    proxy.failNext("DescribeServices", Fault.THROTTLE);

    // WHEN
    ServicePlatform.ServiceState state = ecs.describe(target);

    // THEN the SDK retried it once, with backoff
    assertEquals(2, proxy.received("DescribeServices"));
    assertEquals(null, state.revision(), "the placeholder serves nothing");
  }

  @Test
  void rollOut_shouldSayRetryableAndNameTheService_whenAnUpdateIsThrottled() {
    // GIVEN
    proxy.failNext("UpdateService", Fault.THROTTLE);

    // WHEN
    PlatformException e =
        assertThrows(PlatformException.class, () -> ecs.rollOut(target, "d-1", image(1)));

    // THEN
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("throttled"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + target.get("service") + "'"), e.getMessage());
    assertEquals(0, proxy.forwarded("UpdateService").size());
  }

  @Test
  void observe_shouldSayRetryable_whenEcsAnswers500ThreeTimes() {
    // GIVEN every call fails with a server error
    proxy.faults(1.0, 3L, Fault.SERVER_ERROR);

    // WHEN
    PlatformException e =
        assertThrows(PlatformException.class, () -> ecs.observe(target, "arn:rev"));

    // THEN
    assertTrue(e.retryable(), e.getMessage());
    assertFalse(e.getMessage().isBlank());
    assertEquals(3, proxy.received("DescribeServices"), "the SDK's bounded attempts");
  }

  private RollgateApi api(Ledger ledger) {
    String yaml =
        """
        version: 1
        apps:
          - name: shop
            image: registry.test/team/shop
            environments:
              staging:
                target:
                  platform: ecs
                  cluster: %s
                  service: %s
                  container: app
                  region: us-east-1
                  url: https://shop.ecs.test
                health: { interval: 1s, successThreshold: 2, failureThreshold: 3, deadline: 120s }
        """
            .formatted(target.get("cluster"), target.get("service"));
    Manifest manifest = ManifestLoader.parse(yaml, "rollgate.yaml", Path.of("/tmp"));
    FakeClock clock = new FakeClock();
    EnvSecretResolver secrets = new EnvSecretResolver(Map.<String, String>of()::get);
    DeploymentEngine engine =
        new DeploymentEngine(
            manifest,
            ledger,
            new Platforms(List.of(ecs), List.of()),
            ScriptedProbe.alwaysHealthy(),
            secrets,
            (d, message) -> {},
            clock,
            EngineSettings.defaults());
    return new RollgateApi(engine, secrets, Duration.ofMinutes(5));
  }

  private static ImageRef image(int n) {
    return new ImageRef("registry.test", "team/shop", "v" + n, Deployments.digest(n));
  }
}
