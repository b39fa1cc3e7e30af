package dev.rollgate.contract;

import static dev.rollgate.core.model.Phase.MIGRATING;
import static dev.rollgate.core.model.Phase.ROLLING_BACK;
import static dev.rollgate.core.model.Phase.ROLLING_OUT;
import static dev.rollgate.core.model.Phase.SUCCEEDED;
import static dev.rollgate.core.model.Phase.SUPERSEDED;
import static dev.rollgate.core.model.Phase.VERIFYING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.testing.CrashingLedger;
import dev.rollgate.testing.EngineHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The engine under concurrency and crashes, on any ledger: rollouts never overlap, the newest image
 * wins, and a run that dies after any ledger write is completed by reconcile, once.
 */
public abstract class EngineResilienceContract {

  protected abstract Ledger newLedger();

  private static final Set<Phase> ACTIVE = Set.of(MIGRATING, ROLLING_OUT, VERIFYING, ROLLING_BACK);

  @Test
  void push_shouldNeverOverlapAndLetTheNewestWin_when50PushesArriveAtOnce() throws Exception {
    // GIVEN 50 pushes of one app, each with its own push time, delivered in random order by 8
    // concurrent callers
    EngineHarness h = new EngineHarness(newLedger());
    List<Integer> order = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, new java.util.Random(42));
    Instant t0 = Instant.parse("2026-11-22T09:00:00Z");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> calls = new ArrayList<>();
    for (int i : order) {
      String body = EngineHarness.push("shop", "v" + i, i, "e" + i, t0.plusSeconds(i).toString());
      calls.add(pool.submit(() -> h.imagePushed(body)));
    }
    for (Future<?> f : calls) {
      f.get();
    }
    pool.shutdown();
    h.reconcile();
    // THEN the newest image serves, every deployment SUCCEEDED or was SUPERSEDED
    List<Deployment> all = h.deployments("shop", "staging");
    assertEquals(50, all.size());
    assertEquals("v50", h.servingTag("shop-staging"));
    Deployment newest =
        all.stream().filter(d -> "v50".equals(d.image().tag())).findFirst().orElseThrow();
    assertEquals(SUCCEEDED, newest.phase(), newest.detail());
    for (Deployment d : all) {
      assertTrue(
          d.phase() == SUCCEEDED || d.phase() == SUPERSEDED,
          d.image().tag() + " ended " + d.phase() + ": " + d.detail());
    }
    assertTrue(all.stream().anyMatch(d -> d.phase() == SUPERSEDED));
    // AND an older image never replaced a newer one
    List<Integer> served =
        h.platform.history("shop-staging").stream()
            .map(i -> Integer.parseInt(i.tag().substring(1)))
            .toList();
    for (int i = 1; i < served.size(); i++) {
      assertTrue(served.get(i) > served.get(i - 1), "served in order " + served);
    }
    // AND at no point in the transition log were two deployments active at once
    assertNoOverlap(h.ledger.timeline(0, 100_000));
  }

  private static void assertNoOverlap(List<Transition> log) {
    Map<String, Phase> phase = new HashMap<>();
    for (Transition t : log) {
      phase.put(t.deploymentId(), t.to());
      long active = phase.values().stream().filter(ACTIVE::contains).count();
      assertTrue(active <= 1, "two rollouts at once at transition #" + t.seq() + ": " + phase);
    }
  }

  @Test
  void push_shouldBeOneDeployment_whenOneEventIsDeliveredConcurrently() throws Exception {
    EngineHarness h = new EngineHarness(newLedger());
    String body = EngineHarness.push("shop", "v1", 1, "same-event", null);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(pool.submit(() -> h.imagePushed(body)));
    }
    for (Future<?> f : calls) {
      f.get();
    }
    pool.shutdown();
    assertEquals(1, h.deployments("shop", "staging").size());
    assertEquals(1, h.platform.revisionsCreated("shop-staging"));
  }

  @Test
  void reconcile_shouldCompleteOnce_whenTheRunDiesAfterAnyLedgerWrite() throws Exception {
    // GIVEN how many ledger writes a whole deployment takes (v1 then v2, which rolls back)
    int writes = countWrites();
    assertTrue(writes > 10, "a deployment writes at least once per step: " + writes);
    for (int n = 1; n <= writes; n++) {
      Ledger ledger = newLedger();
      // ... v1 serving, done by a healthy run
      EngineHarness first = new EngineHarness(ledger);
      first.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
      first.unhealthyTags.add("v2");
      // WHEN the run handling v2 dies right after ledger write n
      CrashingLedger crashing = new CrashingLedger(ledger, n);
      EngineHarness dying = first.restartedOn(crashing);
      String v2 = EngineHarness.push("shop", "v2", 2, "e2", null);
      assertThrows(CrashingLedger.Crash.class, () -> dying.imagePushed(v2), "crash at write " + n);
      // AND the sender redelivers, and reconcile runs after the lease expired
      EngineHarness restarted = first.restartedOn(ledger);
      restarted.clock.advance(Duration.ofMinutes(2));
      restarted.imagePushed(v2);
      restarted.reconcile();
      // THEN v2 was deployed once, failed, and v1 serves again; nothing done twice
      List<Deployment> all = restarted.deployments("shop", "staging");
      assertEquals(2, all.size(), "crash at write " + n + ": " + all);
      Deployment d = all.get(0);
      assertEquals(Phase.ROLLED_BACK, d.phase(), "crash at write " + n + ": " + d.detail());
      assertFalse(d.active());
      assertEquals(2, restarted.platform.revisionsCreated("shop-staging"), "crash at write " + n);
      assertEquals("v1", restarted.servingTag("shop-staging"));
      assertEquals(List.of(1, 2), restarted.migrations.history("shop", "staging"));
      List<Phase> phases = d.phase() == null ? List.of() : EngineContract.phases(ledger, d);
      assertEquals(new HashSet<>(phases).size(), phases.size(), "no phase twice: " + phases);
    }
  }

  private int countWrites() {
    Ledger ledger = newLedger();
    EngineHarness first = new EngineHarness(ledger);
    first.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    first.unhealthyTags.add("v2");
    CrashingLedger counting = new CrashingLedger(ledger, Integer.MAX_VALUE);
    first.restartedOn(counting).imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    return counting.writes();
  }
}
