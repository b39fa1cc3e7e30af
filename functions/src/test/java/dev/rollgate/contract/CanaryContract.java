package dev.rollgate.contract;

import static dev.rollgate.core.model.Phase.ABORTED;
import static dev.rollgate.core.model.Phase.FAILED;
import static dev.rollgate.core.model.Phase.ROLLED_BACK;
import static dev.rollgate.core.model.Phase.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.model.CanaryProgress;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.HealthProbe;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.testing.CrashingLedger;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.EngineHarness;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Canary releases on any ledger: each share in turn with an analysis per pause, a transition per
 * step, a failed analysis that moves all traffic back at once and rolls back, an abort in the
 * middle of a canary, and a crash at any write that resumes at the right step without skipping an
 * analysis.
 */
public abstract class CanaryContract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE = "shop-staging";

  protected abstract Ledger newLedger();

  /**
   * The crash test kills the run after every {@code crashStride()}-th write (1: after each), so
   * that a slower ledger can sample the writes.
   */
  protected int crashStride() {
    return 1;
  }

  /** shop/staging on the memory platform: steps 10, 50, 100 with a 10 s pause, probes every 1 s. */
  static String manifest(String analysis) {
    return """
        version: 1
        promotion: { token: env:PROMOTE_TOKEN, allowOverride: true }
        apps:
          - name: shop
            image: registry.test/team/shop
            environments:
              staging:
                target: { platform: memory, service: shop-staging }
                health: { interval: 1s, successThreshold: 3, failureThreshold: 3, deadline: 30s }
                strategy: { canary: { steps: [10, 50, 100], pause: 10s%s } }
        """
        .formatted(analysis == null ? "" : ", analysis: " + analysis);
  }

  private EngineHarness harness(HealthProbe probe) {
    return new EngineHarness(newLedger(), manifest(null), probe);
  }

  private static List<String> reasons(Ledger ledger, Deployment d) {
    return ledger.transitions(d.id()).stream().map(Transition::reason).toList();
  }

  private static long count(List<String> reasons, String part) {
    return reasons.stream().filter(r -> r != null && r.contains(part)).count();
  }

  /** "canary step 1/3: 10 %" or "canary step 1/3 passed: 11/11" of a step's reason. */
  private static String head(String reason) {
    int passed = reason.indexOf(" passed: ");
    return passed >= 0
        ? reason.substring(0, Math.min(reason.length(), passed + " passed: ".length() + 5))
        : reason.substring(0, reason.indexOf('%') + 1);
  }

  @Test
  void canary_shouldGiveEachShareInTurnAndSucceed_whenEveryStepPasses() throws Exception {
    // GIVEN v1 released all at once (nothing served before, so there was nothing to split)
    EngineHarness h = harness(null);
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    Deployment v1 = h.latest("shop", "staging");
    assertEquals(SUCCEEDED, v1.phase(), v1.detail());
    assertEquals(
        1, count(reasons(h.ledger, v1), "canary skipped: nothing served before"), v1.toString());

    // WHEN v2 is pushed
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));

    // THEN it received 10, 50 and 100 % in turn, each step analysed in full, and serves
    Deployment v2 = h.latest("shop", "staging");
    assertEquals(SUCCEEDED, v2.phase(), v2.detail());
    assertEquals("v2", h.servingTag(SERVICE));
    assertEquals(List.of(10, 50, 100, 100), h.platform.splits(SERVICE));
    List<String> reasons = reasons(h.ledger, v2);
    String rev = v2.revision();
    for (String expected :
        List.of(
            "staged without traffic",
            "canary step 1/3: 10 % to " + rev,
            "canary step 1/3 passed: 11/11 probes healthy, p95 0ms",
            "canary step 2/3: 50 % to " + rev,
            "canary step 2/3 passed: 11/11 probes healthy",
            "canary step 3/3: 100 % to " + rev,
            "canary step 3/3 passed: 11/11 probes healthy",
            "healthy: canary passed all 3 steps")) {
      assertEquals(1, count(reasons, expected), expected + " in " + reasons);
    }
    assertTrue(h.ledger.verifyChain().isIntact());
    // AND status shows the canary's progress
    JsonNode recent =
        JSON.readTree(h.api.status(FunctionRequest.of("")).body())
            .path("environments")
            .get(0)
            .path("recent")
            .get(0);
    assertEquals(3, recent.path("canary").path("step").asInt(), recent.toString());
    assertEquals(100, recent.path("canary").path("share").asInt(), recent.toString());
  }

  @Test
  void canary_shouldMoveAllTrafficBackAndRollBack_whenTheFirstStepsAnalysisFails()
      throws Exception {
    // GIVEN v1 serving, and v2 whose health checks answer 503
    EngineHarness h = harness(null);
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    h.unhealthyTags.add("v2");

    // WHEN v2 is pushed
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));

    // THEN its first step failed on its first probe, traffic went back (share 0) at once
    Deployment v2 = h.latest("shop", "staging");
    assertEquals(ROLLED_BACK, v2.phase(), v2.detail());
    assertEquals(List.of(10, 0), h.platform.splits(SERVICE));
    assertEquals(0, h.platform.canaryShare(SERVICE));
    assertEquals("v1", h.servingTag(SERVICE));
    assertEquals(CanaryProgress.State.FAILED, v2.canary().state());
    assertEquals(0, v2.canary().share());
    Transition failed =
        h.ledger.transitions(v2.id()).stream().filter(t -> t.to() == FAILED).findFirst().get();
    assertTrue(
        failed
            .reason()
            .startsWith(
                "canary step 1/3 failed at 10 %: 1 of 1 probes unhealthy: the success rate cannot reach 99% over the 11 probes"),
        failed.reason());
    assertTrue(failed.reason().endsWith("all traffic back to revision " + v2.previousRevision()));
    // AND the digest is known-bad, as for any failure
    assertTrue(h.ledger.isKnownBad("shop", "staging", Deployments.digest(2)));
  }

  @Test
  void canary_shouldFailClosed_whenThePrometheusAnalysisHasNoGate() throws Exception {
    // GIVEN a prometheus analysis, and an engine with no metrics gate (MetricsGate.NONE)
    EngineHarness h =
        new EngineHarness(
            newLedger(),
            manifest("{ prometheus: { url: 'http://127.0.0.1:9/', query: 'up', expect: '== 1' } }"),
            null);
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));

    // WHEN v2, healthy by its probes, is pushed
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));

    // THEN the first step fails at the end of its pause, saying why
    Deployment v2 = h.latest("shop", "staging");
    assertEquals(ROLLED_BACK, v2.phase(), v2.detail());
    assertEquals(List.of(10, 0), h.platform.splits(SERVICE));
    String reason =
        h.ledger.transitions(v2.id()).stream()
            .filter(t -> t.to() == FAILED)
            .findFirst()
            .get()
            .reason();
    assertTrue(reason.contains("11/11 probes healthy"), reason);
    assertTrue(reason.contains("prometheus said no: no metrics gate is registered"), reason);
  }

  @Test
  void canary_shouldRestoreThePreviousRevision_whenAbortedInTheMiddleOfAStep() throws Exception {
    // GIVEN a probe through which an abort arrives during the second step's analysis
    AtomicReference<EngineHarness> harness = new AtomicReference<>();
    AtomicInteger probes = new AtomicInteger();
    AtomicReference<FunctionResponse> asked = new AtomicReference<>();
    HealthProbe probe =
        (spec, url) -> {
          EngineHarness h = harness.get();
          if (url.contains("/revisions/")
              && h.platform.canaryShare(SERVICE) == 50
              && probes.incrementAndGet() == 3) {
            asked.set(
                h.abort(
                    h.latest("shop", "staging").id(), "alice", "looks wrong", EngineHarness.TOKEN));
          }
          return new HealthProbe.Result(true, "200 from " + url);
        };
    EngineHarness h = harness(probe);
    harness.set(h);
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));

    // WHEN v2 is pushed and aborted at 50 %
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));

    // THEN all traffic went back to v1, and it ended ABORTED
    assertEquals(202, asked.get().status(), asked.get().body());
    Deployment v2 = h.latest("shop", "staging");
    assertEquals(ABORTED, v2.phase(), v2.detail());
    assertEquals(List.of(10, 50, 0), h.platform.splits(SERVICE));
    assertEquals(0, h.platform.canaryShare(SERVICE));
    assertEquals("v1", h.servingTag(SERVICE));
    assertEquals(CanaryProgress.State.STOPPED, v2.canary().state());
    assertFalse(h.ledger.isKnownBad("shop", "staging", Deployments.digest(2)));
  }

  @Test
  void canary_shouldResumeAtTheSameStepAndAnalyseItInFull_whenTheRunDiesAtAnyWrite()
      throws Exception {
    // GIVEN how many ledger writes a whole canary release of v2 takes
    int writes;
    {
      EngineHarness h = harness(null);
      h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
      CrashingLedger counting = new CrashingLedger(h.ledger, Integer.MAX_VALUE);
      h.restartedOn(counting).imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
      writes = counting.writes();
      assertTrue(writes > 30, "writes: " + writes);
    }
    for (int n = 1; n < writes; n += crashStride()) {
      // WHEN the run of v2 dies right after write n, and reconcile comes back once the lease
      // expired
      Ledger ledger = newLedger();
      EngineHarness first = new EngineHarness(ledger, manifest(null), null);
      first.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
      EngineHarness dying = first.restartedOn(new CrashingLedger(ledger, n));
      String v2 = EngineHarness.push("shop", "v2", 2, "e2", null);
      assertThrows(CrashingLedger.Crash.class, () -> dying.imagePushed(v2), "crash at " + n);
      EngineHarness restarted = first.restartedOn(ledger);
      restarted.clock.advance(Duration.ofMinutes(5));
      restarted.reconcile();

      // THEN it succeeded, every step started and passed once, in order, each over a full window
      Deployment d = restarted.latest("shop", "staging");
      assertEquals(SUCCEEDED, d.phase(), "crash at " + n + ": " + d.detail());
      List<String> reasons = reasons(ledger, d);
      List<String> steps =
          reasons.stream().filter(r -> r != null && r.startsWith("canary step")).toList();
      assertEquals(
          List.of(
              "canary step 1/3: 10 %",
              "canary step 1/3 passed: 11/11",
              "canary step 2/3: 50 %",
              "canary step 2/3 passed: 11/11",
              "canary step 3/3: 100 %",
              "canary step 3/3 passed: 11/11"),
          steps.stream().map(CanaryContract::head).toList(),
          "crash at " + n + ": " + reasons);
      assertEquals("v2", restarted.servingTag(SERVICE), "crash at " + n);
      assertTrue(ledger.verifyChain().isIntact(), "crash at " + n);
    }
  }
}
