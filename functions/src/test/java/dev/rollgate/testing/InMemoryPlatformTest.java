package dev.rollgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.contract.ServicePlatformContract;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.core.port.ServicePlatform.Revision;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus.State;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemoryPlatformTest extends ServicePlatformContract {

  private static final String DIGEST_3 = "sha256:" + "3".repeat(64);

  private InMemoryPlatform platform;

  @BeforeEach
  void setUp() {
    platform = new InMemoryPlatform();
  }

  @Override
  protected ServicePlatform platform() {
    return platform;
  }

  @Override
  protected TargetSpec target(String service) {
    return new TargetSpec(
        "memory", Map.of("service", service), "apps[0].environments.production.target");
  }

  @Override
  protected ImageRef healthyImage(int n) {
    return ImageRef.parse("registry.test/demo/shop:v" + n);
  }

  @Test
  void rollOut_shouldCreateOneRevision_whenCalledTwiceForOneDeployment() throws Exception {
    // GIVEN
    TargetSpec target = target("shop");
    platform.rollOut(target, "d-1", healthyImage(1));

    // WHEN
    platform.rollOut(target, "d-1", healthyImage(1));

    // THEN
    assertEquals(1, platform.revisionsCreated("shop"));
    assertEquals(2, platform.rollOutCalls());
    assertEquals(List.of(healthyImage(1)), platform.history("shop"));
  }

  @Test
  void observe_shouldStayInProgress_whenImageNeverGetsReady() throws Exception {
    // GIVEN
    platform.neverReady("v2");
    TargetSpec target = target("shop");

    // WHEN
    Revision revision = platform.rollOut(target, "d-1", healthyImage(2));

    // THEN
    assertEquals(State.IN_PROGRESS, platform.observe(target, revision.id()).state());
    assertEquals(State.IN_PROGRESS, platform.observe(target, revision.id()).state());
  }

  @Test
  void observe_shouldSayFailed_whenImageFailsOnThePlatform() throws Exception {
    // GIVEN an image programmed by digest
    platform.failsOnPlatform(DIGEST_3);
    TargetSpec target = target("shop");

    // WHEN
    Revision revision =
        platform.rollOut(target, "d-1", new ImageRef("registry.test", "demo/shop", null, DIGEST_3));

    // THEN
    assertEquals(State.FAILED, platform.observe(target, revision.id()).state());
  }

  @Test
  void observe_shouldSayRevertedAndServeThePreviousRevision_whenPlatformRevertsOnItsOwn()
      throws Exception {
    // GIVEN v1 serving and v2 programmed to be rolled back by the platform
    platform.revertsOnItsOwn("v2");
    TargetSpec target = target("shop");
    Revision first = platform.rollOut(target, "d-1", healthyImage(1));
    Revision second = platform.rollOut(target, "d-2", healthyImage(2));

    // WHEN
    State state = platform.observe(target, second.id()).state();

    // THEN
    assertEquals(State.REVERTED, state);
    assertEquals(first.id(), platform.describe(target).revision());
    assertEquals(
        List.of(healthyImage(1), healthyImage(2), healthyImage(1)), platform.history("shop"));
  }

  @Test
  void rollOut_shouldThrowAsProgrammed_whenImageIsSetToThrow() throws Exception {
    // GIVEN
    platform.rollOutThrows("v1", true, 2);
    TargetSpec target = target("shop");

    // WHEN the first two calls throw
    PlatformException first =
        assertThrows(
            PlatformException.class, () -> platform.rollOut(target, "d-1", healthyImage(1)));
    assertThrows(PlatformException.class, () -> platform.rollOut(target, "d-1", healthyImage(1)));
    Revision third = platform.rollOut(target, "d-1", healthyImage(1));

    // THEN the third succeeds
    assertTrue(first.retryable());
    assertEquals("shop-1", third.id());
    assertEquals(1, platform.revisionsCreated("shop"));
    assertEquals(3, platform.rollOutCalls());
  }

  @Test
  void maxConcurrentRollouts_shouldCountOverlap_whenTwoRolloutsOfOneServiceRunAtOnce()
      throws Exception {
    // GIVEN slow rollouts
    platform.rollOutLatency(Duration.ofMillis(300));
    TargetSpec target = target("shop");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    try {
      // WHEN two deployments roll out at the same time
      Future<Revision> a = pool.submit(() -> rollOutAfter(go, target, "d-1", 1));
      Future<Revision> b = pool.submit(() -> rollOutAfter(go, target, "d-2", 2));
      go.countDown();
      a.get(10, TimeUnit.SECONDS);
      b.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    // THEN
    assertEquals(2, platform.maxConcurrentRollouts());
    assertEquals(2, platform.revisionsCreated("shop"));
  }

  @Test
  void maxConcurrentRollouts_shouldBeOne_whenRolloutsFollowEachOther() throws Exception {
    // GIVEN
    TargetSpec target = target("shop");

    // WHEN
    platform.rollOut(target, "d-1", healthyImage(1));
    platform.rollOut(target, "d-2", healthyImage(2));

    // THEN
    assertEquals(1, platform.maxConcurrentRollouts());
  }

  @Test
  void observe_shouldThrowNotRetryable_whenRevisionIsUnknown() throws Exception {
    // GIVEN
    TargetSpec target = target("shop");
    platform.rollOut(target, "d-1", healthyImage(1));

    // WHEN
    PlatformException e =
        assertThrows(PlatformException.class, () -> platform.observe(target, "shop-9"));

    // THEN
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("shop-9"), e.getMessage());
  }

  private Revision rollOutAfter(CountDownLatch go, TargetSpec target, String deployment, int n)
      throws Exception {
    go.await();
    return platform.rollOut(target, deployment, healthyImage(n));
  }
}
