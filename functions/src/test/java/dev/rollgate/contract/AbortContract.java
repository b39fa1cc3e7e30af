package dev.rollgate.contract;

import static dev.rollgate.core.model.Phase.ABORTED;
import static dev.rollgate.core.model.Phase.PENDING;
import static dev.rollgate.core.model.Phase.ROLLING_BACK;
import static dev.rollgate.core.model.Phase.VERIFYING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.model.AbortRequest;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.HealthProbe;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.testing.CrashingLedger;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.EngineHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * POST /abort on any ledger: a deployment stopped in any abortable phase ends ABORTED with what
 * served before serving again, whether its own run or reconcile honours the request; finished ones
 * answer 409; the ledger says who asked, once.
 */
public abstract class AbortContract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = EngineHarness.TOKEN;

  protected abstract Ledger newLedger();

  /** v1 serves staging; v2's run died right after it entered {@code phase}, its lease held. */
  private static EngineHarness v2StuckIn(Ledger ledger, Phase phase) {
    EngineHarness h = new EngineHarness(ledger);
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    EngineHarness dying = h.restartedOn(CrashingLedger.whenEntering(ledger, phase));
    String v2 = EngineHarness.push("shop", "v2", 2, "e2", null);
    assertThrows(CrashingLedger.Crash.class, () -> dying.imagePushed(v2));
    EngineHarness restarted = h.restartedOn(ledger);
    assertEquals(phase, restarted.latest("shop", "staging").phase());
    return restarted;
  }

  private static JsonNode json(FunctionResponse r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static List<Transition> askedBy(Ledger ledger, Deployment d, String who) {
    return ledger.transitions(d.id()).stream().filter(t -> who.equals(t.actor())).toList();
  }

  @ParameterizedTest
  @EnumSource(
      value = Phase.class,
      names = {"PENDING", "MIGRATING", "ROLLING_OUT", "VERIFYING"})
  void abort_shouldEndAbortedWithThePreviousRevisionServing_whenRequestedInEachPhase(Phase phase)
      throws Exception {
    // GIVEN v1 serving and v2 left in the phase by a run that died
    EngineHarness h = v2StuckIn(newLedger(), phase);
    Deployment v2 = h.latest("shop", "staging");

    // WHEN alice aborts it, and reconcile runs once the dead run's lease expired
    FunctionResponse r = h.abort(v2.id(), "alice", "error rate up", TOKEN);
    assertEquals(202, r.status(), r.body());
    assertTrue(json(r).path("recorded").asBoolean(), r.body());
    h.clock.advance(Duration.ofMinutes(10));
    h.reconcile();

    // THEN v2 ended ABORTED, its slot free, and v1 serves again
    Deployment d = h.ledger.find(v2.id()).orElseThrow();
    assertEquals(ABORTED, d.phase(), d.detail());
    assertFalse(d.active());
    assertTrue(d.detail().contains("aborted by alice (error rate up)"), d.detail());
    assertEquals("v1", h.servingTag("shop-staging"));
    // AND the ledger records who asked and why, once, in the phase it was asked in
    List<Transition> asked = askedBy(h.ledger, d, "abort:alice");
    assertEquals(1, asked.size(), h.ledger.transitions(d.id()).toString());
    assertEquals(phase, asked.get(0).from());
    assertTrue(asked.get(0).reason().contains("error rate up"), asked.get(0).reason());
    assertEquals("alice", d.abortRequest().by());
    Transition last = h.ledger.transitions(d.id()).get(h.ledger.transitions(d.id()).size() - 1);
    assertEquals(ABORTED, last.to());
    assertTrue(h.ledger.verifyChain().isIntact());
    // AND an aborted digest is not known-bad: a person stopped it, it did not fail
    assertFalse(h.ledger.isKnownBad("shop", "staging", Deployments.digest(2)));
    // AND status shows it ABORTED, with who asked
    JsonNode env = json(h.api.status(FunctionRequest.of(""))).path("environments").get(0);
    assertEquals("ABORTED", env.path("recent").get(0).path("phase").asText());
    assertEquals("alice", env.path("recent").get(0).path("abort").path("by").asText());
    assertEquals("v1", env.path("serving").path("tag").asText());
    assertEquals(0, env.path("inFlight").size());
  }

  @Test
  void abort_shouldBeHonouredByTheRunningDeployment_whenRequestedDuringItsVerification()
      throws Exception {
    // GIVEN a probe through which an abort arrives while v2's own run verifies it
    AtomicReference<Runnable> duringProbe = new AtomicReference<>();
    HealthProbe probe =
        (spec, url) -> {
          Runnable hook = duringProbe.getAndSet(null);
          if (hook != null) {
            hook.run();
          }
          return new HealthProbe.Result(true, "200 from " + url);
        };
    EngineHarness h = new EngineHarness(newLedger(), EngineHarness.manifest(1), probe);
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    AtomicReference<FunctionResponse> asked = new AtomicReference<>();
    duringProbe.set(
        () -> asked.set(h.abort(h.latest("shop", "staging").id(), "bob", "wrong build", TOKEN)));

    // WHEN v2 is pushed and its run verifies it
    FunctionResponse pushed = h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));

    // THEN the abort was accepted while the run held the deployment ...
    assertEquals(202, asked.get().status(), asked.get().body());
    assertEquals(VERIFYING.name(), json(asked.get()).path("deployment").path("phase").asText());
    // ... and the run itself honoured it at its next step: rolled back to v1, ABORTED
    assertEquals(202, pushed.status(), pushed.body());
    Deployment d = h.latest("shop", "staging");
    assertEquals(ABORTED, d.phase(), d.detail());
    assertEquals("v1", h.servingTag("shop-staging"));
    assertEquals(
        List.of(
            PENDING,
            Phase.MIGRATING,
            Phase.ROLLING_OUT,
            VERIFYING,
            VERIFYING,
            ROLLING_BACK,
            ABORTED),
        EngineContract.phases(h.ledger, d));
    assertEquals("abort:bob", h.ledger.transitions(d.id()).get(4).actor());
  }

  @Test
  void abort_shouldRestoreThePreviousRevision_whenItLandsWhileTheRolloutIsIssued()
      throws Exception {
    // GIVEN v1 serving, and a platform that takes half a second to roll a revision out
    EngineHarness h = new EngineHarness(newLedger());
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    h.platform.rollOutLatency(Duration.ofMillis(500));
    CompletableFuture<FunctionResponse> pushed =
        CompletableFuture.supplyAsync(
            () -> h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null)));
    Instant end = Instant.now().plusSeconds(10);
    Deployment v2 = h.latest("shop", "staging");
    while (v2.phase() != Phase.ROLLING_OUT && Instant.now().isBefore(end)) {
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
      v2 = h.latest("shop", "staging");
    }
    assertEquals(Phase.ROLLING_OUT, v2.phase());

    // WHEN v2 is aborted while its run waits for the platform
    FunctionResponse r = h.abort(v2.id(), "dave", "wrong image", TOKEN);

    // THEN the run's save of the rollout loses to the abort, and the run restores v1
    assertEquals(202, r.status(), r.body());
    assertEquals(202, pushed.get(30, TimeUnit.SECONDS).status());
    Deployment d = h.ledger.find(v2.id()).orElseThrow();
    assertEquals(ABORTED, d.phase(), d.detail());
    assertEquals(2, h.platform.revisionsCreated("shop-staging"), "the rollout was issued");
    assertEquals("v1", h.servingTag("shop-staging"));
  }

  @Test
  void abort_shouldRecordOnceAndAnswer202_whenAskedTwice() throws Exception {
    // GIVEN v2 left VERIFYING by a run that died
    EngineHarness h = v2StuckIn(newLedger(), VERIFYING);
    Deployment v2 = h.latest("shop", "staging");
    // WHEN it is aborted twice before reconcile honours it, and once more after
    FunctionResponse first = h.abort(v2.id(), "alice", "once", TOKEN);
    FunctionResponse second = h.abort(v2.id(), "carol", "twice", TOKEN);
    h.clock.advance(Duration.ofMinutes(10));
    h.reconcile();
    FunctionResponse third = h.abort(v2.id(), "alice", "again", TOKEN);
    // THEN every answer is 202, and only the first recorded anything
    for (FunctionResponse r : List.of(first, second, third)) {
      assertEquals(202, r.status(), r.body());
    }
    assertTrue(json(first).path("recorded").asBoolean());
    assertFalse(json(second).path("recorded").asBoolean());
    assertFalse(json(third).path("recorded").asBoolean());
    Deployment d = h.ledger.find(v2.id()).orElseThrow();
    assertEquals(ABORTED, d.phase(), d.detail());
    assertEquals(1, askedBy(h.ledger, d, "abort:alice").size());
    assertEquals(0, askedBy(h.ledger, d, "abort:carol").size());
    assertEquals("once", d.abortRequest().reason());
  }

  @Test
  void requestAbort_shouldRecordExactlyOnce_whenEightCallersAskAtOnce() throws Exception {
    // GIVEN v2 left VERIFYING by a run that died
    EngineHarness h = v2StuckIn(newLedger(), VERIFYING);
    Deployment v2 = h.latest("shop", "staging");
    // WHEN eight callers ask the ledger at once
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Ledger.AbortOutcome>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      AbortRequest request = new AbortRequest("caller-" + i, null, h.clock.now());
      Callable<Ledger.AbortOutcome> call =
          () -> h.ledger.requestAbort(v2.id(), request).orElseThrow();
      calls.add(pool.submit(call));
    }
    int recorded = 0;
    for (Future<Ledger.AbortOutcome> f : calls) {
      recorded += f.get().recorded() ? 1 : 0;
      assertTrue(f.get().deployment().abortRequested());
    }
    pool.shutdown();
    // THEN one request was recorded, with one transition
    assertEquals(1, recorded);
    long logged =
        h.ledger.transitions(v2.id()).stream()
            .filter(t -> t.actor() != null && t.actor().startsWith("abort:caller-"))
            .count();
    assertEquals(1, logged);
  }

  @Test
  void abort_shouldEndAtOnce_whenPendingWithoutItsSlot() throws Exception {
    // GIVEN v2 holding the slot (its run died in VERIFYING) and v3 waiting behind it
    EngineHarness h = v2StuckIn(newLedger(), VERIFYING);
    h.imagePushed(EngineHarness.push("shop", "v3", 3, "e3", null));
    Deployment v3 = h.latest("shop", "staging");
    assertEquals(PENDING, v3.phase());
    assertFalse(v3.active());
    // WHEN v3 is aborted
    FunctionResponse r = h.abort(v3.id(), "alice", "not this one", TOKEN);
    // THEN it is ABORTED at once, and v2 goes on when reconcile takes it over
    assertEquals(202, r.status(), r.body());
    assertEquals(ABORTED.name(), json(r).path("deployment").path("phase").asText());
    assertEquals(
        List.of(PENDING, ABORTED), EngineContract.phases(h.ledger, h.ledger.find(v3.id()).get()));
    h.clock.advance(Duration.ofMinutes(10));
    h.reconcile();
    assertEquals("v2", h.servingTag("shop-staging"));
    assertEquals(ABORTED, h.ledger.find(v3.id()).orElseThrow().phase());
  }

  @Test
  void abort_shouldLeaveTheRevisionAndEndAborted_whenNothingServedBefore() throws Exception {
    // GIVEN the first deployment of staging, left VERIFYING by a run that died
    Ledger ledger = newLedger();
    EngineHarness h = new EngineHarness(ledger);
    EngineHarness dying = h.restartedOn(CrashingLedger.whenEntering(ledger, VERIFYING));
    assertThrows(
        CrashingLedger.Crash.class,
        () -> dying.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null)));
    Deployment v1 = h.latest("shop", "staging");
    // WHEN it is aborted and reconcile honours it
    assertEquals(202, h.abort(v1.id(), "alice", "stop", TOKEN).status());
    h.clock.advance(Duration.ofMinutes(10));
    h.reconcile();
    // THEN it is ABORTED, says what it left in place, and frees the slot
    Deployment d = h.ledger.find(v1.id()).orElseThrow();
    assertEquals(ABORTED, d.phase(), d.detail());
    assertFalse(d.active());
    assertTrue(d.detail().contains("nothing to restore"), d.detail());
  }

  @Test
  void abort_shouldAnswer409NamingThePhase_whenTheDeploymentFinishedOrRollsBack() throws Exception {
    // GIVEN v1 SUCCEEDED, v2 ROLLED_BACK, v2 again REFUSED, and v3 ROLLING_BACK (run died)
    Ledger ledger = newLedger();
    EngineHarness h = new EngineHarness(ledger);
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    Deployment v1 = h.latest("shop", "staging");
    h.unhealthyTags.add("v2");
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    Deployment v2 = h.latest("shop", "staging");
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2-again", null));
    Deployment refused = h.latest("shop", "staging");
    h.unhealthyTags.add("v3");
    EngineHarness dying = h.restartedOn(CrashingLedger.whenEntering(ledger, ROLLING_BACK));
    assertThrows(
        CrashingLedger.Crash.class,
        () -> dying.imagePushed(EngineHarness.push("shop", "v3", 3, "e3", null)));
    Deployment v3 = h.latest("shop", "staging");
    // WHEN each is aborted
    for (Deployment d : List.of(v1, v2, refused, v3)) {
      int before = ledger.transitions(d.id()).size();
      FunctionResponse r = h.abort(d.id(), "alice", "too late", TOKEN);
      // THEN 409 naming its phase, and nothing recorded
      assertEquals(409, r.status(), r.body());
      assertEquals("not-abortable", json(r).path("reason").asText());
      Deployment now = ledger.find(d.id()).orElseThrow();
      assertTrue(json(r).path("error").asText().contains("is " + now.phase()), r.body());
      assertEquals(before, ledger.transitions(d.id()).size());
      assertFalse(now.abortRequested());
    }
    assertEquals(Phase.SUCCEEDED, v1.phase());
    assertEquals(Phase.ROLLED_BACK, v2.phase());
    assertEquals(Phase.REFUSED, refused.phase());
    assertEquals(ROLLING_BACK, v3.phase());
  }

  @Test
  void abort_shouldRefuse_whenUnknownUnauthenticatedOrMalformed() throws Exception {
    EngineHarness h = v2StuckIn(newLedger(), VERIFYING);
    Deployment v2 = h.latest("shop", "staging");
    assertEquals(404, h.abort("no-such-id", "alice", "x", TOKEN).status());
    assertEquals(401, h.abort(v2.id(), "alice", "x", null).status());
    assertEquals(403, h.abort(v2.id(), "alice", "x", "wrong").status());
    FunctionResponse missing =
        h.api.abort(
            new FunctionRequest(
                "{\"by\":\"alice\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.util.Map.of("Authorization", "Bearer " + TOKEN),
                java.util.Map.of()));
    assertEquals(400, missing.status(), missing.body());
    assertTrue(json(missing).path("error").asText().contains("$.deployment"));
    // THEN none of them recorded anything
    assertFalse(h.ledger.find(v2.id()).orElseThrow().abortRequested());
  }
}
