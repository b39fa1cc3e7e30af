package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus.State;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How EcsPlatform reads rollouts, against DescribeServices answers played back over HTTP in ECS's
 * JSON protocol (fixtures under src/test/resources/ecs/, see their README for their origin):
 * progress, completion, failure, and rollbacks by the circuit breaker or an alarm, which must never
 * read as READY.
 */
class EcsRolloutObservationIT {

  private static final String PREFIX = "arn:aws:ecs:eu-west-1:123456789012:task-definition/";
  private static final String SHOP_7 = PREFIX + "shop:7";
  private static final String SHOP_8 = PREFIX + "shop:8";
  private static final TargetSpec TARGET =
      new TargetSpec(
          "ecs",
          Map.of(
              "cluster", "prod",
              "service", "shop",
              "container", "app",
              "region", "eu-west-1",
              "url", "https://shop.example.com"),
          "apps[0].environments.production.target");

  private EcsPlayback playback;
  private AwsAdapter aws;
  private ServicePlatform ecs;

  @BeforeEach
  void start() throws Exception {
    playback = new EcsPlayback();
    aws = new AwsAdapter(settings(playback.endpoint()));
    ecs = aws.ecsPlatform();
  }

  @AfterEach
  void stop() {
    aws.close();
    playback.close();
  }

  @Test
  void observe_shouldGoFromInProgressToReady_whenTheDeploymentCompletes() throws Exception {
    // GIVEN ECS answers IN_PROGRESS, then COMPLETED
    playback.answer(
        "DescribeServices",
        "describe-services-in-progress.json",
        "describe-services-completed.json");

    // WHEN
    RolloutStatus first = ecs.observe(TARGET, SHOP_8);
    RolloutStatus second = ecs.observe(TARGET, SHOP_8);

    // THEN
    assertEquals(State.IN_PROGRESS, first.state(), first.detail());
    assertTrue(first.detail().contains("1/3 tasks running, 2 pending"), first.detail());
    assertEquals(State.READY, second.state(), second.detail());
    assertTrue(second.detail().contains("shop:8 serves"), second.detail());
    // ... asking for the one service of the one cluster
    String request = playback.calls("DescribeServices").get(0).body();
    assertTrue(request.contains("\"cluster\":\"prod\""), request);
    assertTrue(request.contains("\"services\":[\"shop\"]"), request);
  }

  @Test
  void observe_shouldReportFailed_whenTheCircuitBreakerTripsBeforeAnyRollback() throws Exception {
    // GIVEN
    playback.answer("DescribeServices", "describe-services-failed.json");

    // WHEN
    RolloutStatus status = ecs.observe(TARGET, SHOP_8);

    // THEN
    assertEquals(State.FAILED, status.state(), status.detail());
    assertTrue(status.detail().contains("tasks failed to start"), status.detail());
    assertTrue(status.detail().contains("10 failed"), status.detail());
  }

  @Test
  void observe_shouldReportReverted_whenTheCircuitBreakerRollsBack() throws Exception {
    // GIVEN ECS rolling back to shop:7 after shop:8's deployment failed
    playback.answer("DescribeServices", "describe-services-circuit-breaker-rollback.json");

    // WHEN
    RolloutStatus status = ecs.observe(TARGET, SHOP_8);

    // THEN
    assertEquals(State.REVERTED, status.state(), status.detail());
    assertTrue(status.detail().contains("ECS rolled shop:8 back to shop:7"), status.detail());
    assertTrue(status.detail().contains("circuit breaker"), status.detail());
  }

  @Test
  void observe_shouldReportReverted_whenAnAlarmRollsBack() throws Exception {
    // GIVEN
    playback.answer("DescribeServices", "describe-services-alarm-rollback.json");

    // WHEN
    RolloutStatus status = ecs.observe(TARGET, SHOP_8);

    // THEN
    assertEquals(State.REVERTED, status.state(), status.detail());
    assertTrue(status.detail().contains("(an alarm)"), status.detail());
    assertTrue(status.detail().contains("shop-5xx-rate"), status.detail());
  }

  @Test
  void observe_shouldNeverReportReady_whenTheRollbackHasCompleted() throws Exception {
    // GIVEN the rollback done: only shop:7 remains, COMPLETED (what naive tools call success)
    playback.answer("DescribeServices", "describe-services-rolled-back.json");

    // WHEN
    RolloutStatus release = ecs.observe(TARGET, SHOP_8);
    RolloutStatus previous = ecs.observe(TARGET, SHOP_7);

    // THEN the release is reverted, while the revision that serves again is ready
    assertEquals(State.REVERTED, release.state(), release.detail());
    assertNotEquals(State.READY, release.state());
    assertEquals(State.READY, previous.state(), previous.detail());
  }

  @Test
  void observe_shouldReportReverted_whenAnotherDeploymentReplacedIt() throws Exception {
    // GIVEN
    playback.answer("DescribeServices", "describe-services-replaced.json");

    // WHEN
    RolloutStatus status = ecs.observe(TARGET, SHOP_8);

    // THEN
    assertEquals(State.REVERTED, status.state(), status.detail());
    assertTrue(status.detail().contains("runs shop:9"), status.detail());
  }

  @Test
  void restore_shouldNotUpdateTheService_whenEcsAlreadyRolledBack() throws Exception {
    // GIVEN ECS's own rollback to shop:7 in progress
    playback.answer("DescribeServices", "describe-services-circuit-breaker-rollback.json");

    // WHEN rollgate restores shop:7
    ecs.restore(TARGET, SHOP_7);

    // THEN it asked for nothing more
    assertEquals(0, playback.calls("UpdateService").size());
  }

  @Test
  void restore_shouldUpdateTheService_whenAnotherRevisionServes() throws Exception {
    // GIVEN shop:8 serving
    playback
        .answer("DescribeServices", "describe-services-completed.json")
        .answerJson("UpdateService", "{\"service\":{}}");

    // WHEN
    ecs.restore(TARGET, SHOP_7);

    // THEN
    assertEquals(1, playback.calls("UpdateService").size());
    String request = playback.calls("UpdateService").get(0).body();
    assertTrue(request.contains("\"taskDefinition\":\"" + SHOP_7 + "\""), request);
    assertTrue(request.contains("\"forceNewDeployment\":false"), request);
  }

  static AwsSettings settings(URI endpoint) {
    return MotoServer.settings(endpoint).withRegion("eu-west-1");
  }
}
