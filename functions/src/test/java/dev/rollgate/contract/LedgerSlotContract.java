package dev.rollgate.contract;

import static dev.rollgate.testing.Deployments.T0;
import static dev.rollgate.testing.Deployments.aDeployment;
import static dev.rollgate.testing.Deployments.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.Ledger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The half of {@link LedgerContract} about the single active slot per app+environment, claiming,
 * leases and what is in flight; run it through {@link LedgerContract}.
 */
public abstract class LedgerSlotContract {

  protected Ledger ledger;

  /** A fresh, empty ledger for each test. */
  protected abstract Ledger newLedger();

  @BeforeEach
  void freshLedger() {
    ledger = newLedger();
  }

  @Test
  void claimNext_shouldGiveSlotToNewestPendingAndSupersedeOlder_whenSlotIsFree() {
    // GIVEN two pending images, the newer recorded first
    Deployment newer = recorded(aDeployment().image(image("v2", 2)).pushedAt(at(10)));
    Deployment older = recorded(aDeployment().image(image("v1", 1)).pushedAt(at(0)));

    // WHEN the slot is claimed
    Optional<Deployment> claimed = ledger.claimNext("shop", "staging", "reconcile", at(30));

    // THEN the newer holds it, still PENDING, with a new version and no transition
    Deployment winner = claimed.orElseThrow();
    assertEquals(newer.id(), winner.id());
    assertTrue(winner.active());
    assertEquals(Phase.PENDING, winner.phase());
    assertEquals(newer.version() + 1, winner.version());
    assertEquals(winner, ledger.find(newer.id()).orElseThrow());
    assertEquals(1, ledger.transitions(newer.id()).size());
    // AND the older is superseded, logged by the claimer with the reason naming the newer
    Deployment loser = ledger.find(older.id()).orElseThrow();
    assertEquals(Phase.SUPERSEDED, loser.phase());
    assertFalse(loser.active());
    assertEquals(older.version() + 1, loser.version());
    Transition last = ledger.transitions(older.id()).get(1);
    assertEquals(Phase.PENDING, last.from());
    assertEquals(Phase.SUPERSEDED, last.to());
    assertEquals("reconcile", last.actor());
    assertEquals(at(30), last.at());
    assertTrue(last.reason().contains(newer.id()), last.reason());
    assertTrue(last.reason().contains("v2"), last.reason());
  }

  @Test
  void claimNext_shouldBreakTiesByArrival_whenPushTimesAreEqual() {
    // GIVEN two pending deployments pushed at the same instant
    Deployment first = recorded(aDeployment().image(image("a", 1)));
    Deployment second = recorded(aDeployment().image(image("b", 2)));

    // WHEN / THEN the one recorded later wins
    assertEquals(Optional.of(second.id()), claim().map(Deployment::id));
    assertEquals(Phase.SUPERSEDED, ledger.find(first.id()).orElseThrow().phase());
  }

  @Test
  void claimNext_shouldReturnEmpty_whenSlotIsHeldOrNothingIsPending() {
    // GIVEN nothing pending
    assertEquals(Optional.empty(), claim());
    // AND GIVEN a deployment holding the slot and a newer one waiting
    Deployment holder = recorded(aDeployment().pushedAt(at(0)));
    claim().orElseThrow();
    Deployment waiting = recorded(aDeployment().pushedAt(at(10)));

    // WHEN the slot is claimed again
    Optional<Deployment> again = claim();

    // THEN nobody gets it and the waiting one stays pending
    assertEquals(Optional.empty(), again);
    assertTrue(ledger.find(holder.id()).orElseThrow().active());
    assertEquals(Phase.PENDING, ledger.find(waiting.id()).orElseThrow().phase());
    assertFalse(ledger.find(waiting.id()).orElseThrow().active());
  }

  @Test
  void claimNext_shouldClaimAgain_whenSlotWasFreedBySave() {
    // GIVEN a holder that finished and gave the slot back, and a newer pending image
    recorded(aDeployment().pushedAt(at(0)));
    Deployment holder = claim().orElseThrow();
    Deployment next = recorded(aDeployment().image(image("v2", 2)).pushedAt(at(10)));
    ledger.save(holder.toBuilder().phase(Phase.SUCCEEDED).active(false).build(), "e", "done");

    // WHEN the slot is claimed
    Optional<Deployment> claimed = claim();

    // THEN the next one holds it
    assertEquals(Optional.of(next.id()), claimed.map(Deployment::id));
  }

  @Test
  void claimNext_shouldSupersedePending_whenNewerImageAlreadyStarted() {
    // GIVEN v3 (pushed at 20) started and finished, then v1 and v2 (pushed before) arrive late
    recorded(aDeployment().image(image("v3", 3)).pushedAt(at(20)));
    Deployment v3 = claim().orElseThrow();
    v3 = ledger.save(v3.toBuilder().phase(Phase.MIGRATING).build(), "engine", "go");
    ledger.save(v3.toBuilder().phase(Phase.SUCCEEDED).active(false).build(), "engine", "done");
    Deployment v2 = recorded(aDeployment().image(image("v2", 2)).pushedAt(at(10)));
    Deployment v1 = recorded(aDeployment().image(image("v1", 1)).pushedAt(at(0)));

    // WHEN the slot is claimed
    Optional<Deployment> claimed = claim();

    // THEN nothing is claimed: an older image never replaces a newer one
    assertEquals(Optional.empty(), claimed);
    for (Deployment late : List.of(v2, v1)) {
      assertEquals(Phase.SUPERSEDED, ledger.find(late.id()).orElseThrow().phase());
      String reason = ledger.transitions(late.id()).get(1).reason();
      assertTrue(reason.contains(v3.id()), reason);
      assertTrue(reason.contains("v3"), reason);
    }
    // AND a newer image than the started one still gets the slot
    Deployment v4 = recorded(aDeployment().image(image("v4", 4)).pushedAt(at(30)));
    assertEquals(Optional.of(v4.id()), claim().map(Deployment::id));
  }

  @Test
  void claimNext_shouldIgnoreRefusedAndSuperseded_whenLookingForNewerStartedImages() {
    // GIVEN a newer image that was refused before it started
    recorded(aDeployment().image(image("v9", 9)).pushedAt(at(90)).phase(Phase.REFUSED));
    Deployment v1 = recorded(aDeployment().pushedAt(at(0)));

    // WHEN / THEN the older pending image still gets the slot
    assertEquals(Optional.of(v1.id()), claim().map(Deployment::id));
  }

  @Test
  void claimNext_shouldKeepAppsAndEnvironmentsApart_whenClaiming() {
    // GIVEN pending deployments in three places, and staging's slot held
    recorded(aDeployment().pushedAt(at(0)));
    claim().orElseThrow();
    Deployment production = recorded(aDeployment().environment("production"));
    Deployment cart = recorded(aDeployment().app("cart"));

    // WHEN / THEN each place has its own slot
    assertEquals(Optional.empty(), claim());
    assertEquals(
        Optional.of(production.id()),
        ledger.claimNext("shop", "production", "r", at(1)).map(Deployment::id));
    assertEquals(
        Optional.of(cart.id()),
        ledger.claimNext("cart", "staging", "r", at(1)).map(Deployment::id));
  }

  @Test
  void claimNext_shouldGiveSlotToExactlyOne_whenEightThreadsClaimAtOnce() throws Exception {
    // GIVEN three pending deployments and eight claimers released together
    for (int i = 0; i < 3; i++) {
      recorded(aDeployment().image(image("v" + i, i)).pushedAt(at(i)));
    }
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Optional<Deployment>>> results = new ArrayList<>();
    try {
      // WHEN all of them claim the same slot at the same time
      for (int i = 0; i < threads; i++) {
        String actor = "claimer-" + i;
        results.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return ledger.claimNext("shop", "staging", actor, at(60));
                }));
      }
      // THEN exactly one holds it: the newest
      List<Deployment> winners = new ArrayList<>();
      for (Future<Optional<Deployment>> f : results) {
        f.get(60, TimeUnit.SECONDS).ifPresent(winners::add);
      }
      assertEquals(1, winners.size(), "winners: " + winners);
      assertEquals("v2", winners.get(0).image().tag());
      assertEquals(
          1, ledger.deployments("shop", "staging", 10).stream().filter(Deployment::active).count());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void save_shouldThrowAndChangeNothing_whenSecondDeploymentBecomesActive() {
    // GIVEN one deployment holding the slot and another pending
    recorded(aDeployment().pushedAt(at(0)));
    Deployment holder = claim().orElseThrow();
    Deployment other = recorded(aDeployment().pushedAt(at(10)));

    // WHEN the other is written as active behind claimNext's back
    Deployment sneaky = other.toBuilder().phase(Phase.MIGRATING).active(true).build();

    // THEN the ledger refuses it, and both stay as they were
    assertThrows(RuntimeException.class, () -> ledger.save(sneaky, "rogue", "jump the queue"));
    assertEquals(other, ledger.find(other.id()).orElseThrow());
    assertEquals(holder, ledger.find(holder.id()).orElseThrow());
    assertEquals(1, ledger.transitions(other.id()).size());
  }

  @Test
  void lease_shouldBeExclusiveUntilExpiry_andReentrantForItsOwner() {
    // GIVEN a deployment leased by a until 60
    Deployment d = recorded(aDeployment());
    assertTrue(ledger.lease(d.id(), "a", at(0), at(60)));

    // WHEN / THEN b cannot take it before expiry, a can renew it, b can take it once expired
    assertFalse(ledger.lease(d.id(), "b", at(30), at(90)));
    assertTrue(ledger.lease(d.id(), "a", at(30), at(90)));
    assertFalse(ledger.lease(d.id(), "b", at(89), at(120)));
    assertTrue(ledger.lease(d.id(), "b", at(90), at(150)));
    assertFalse(ledger.lease(d.id(), "a", at(100), at(160)));
    assertFalse(ledger.lease("no-such-deployment", "a", at(0), at(60)));
  }

  @Test
  void release_shouldFreeLease_onlyWhenCalledByItsHolder() {
    // GIVEN a deployment leased by a
    Deployment d = recorded(aDeployment());
    assertTrue(ledger.lease(d.id(), "a", at(0), at(60)));

    // WHEN b releases it / THEN nothing changes
    ledger.release(d.id(), "b");
    assertFalse(ledger.lease(d.id(), "b", at(1), at(60)));

    // WHEN a releases it / THEN b can take it at once
    ledger.release(d.id(), "a");
    assertTrue(ledger.lease(d.id(), "b", at(2), at(60)));
  }

  @Test
  void inFlight_shouldListPendingAndActiveWithFreeOrExpiredLease() {
    // GIVEN a pending cart, a finished and a pending shop/production, and an active shop/staging
    Deployment cart = recorded(aDeployment().app("cart").pushedAt(at(5)));
    recorded(aDeployment().environment("production").phase(Phase.SUCCEEDED));
    Deployment prod = recorded(aDeployment().environment("production").pushedAt(at(3)));
    recorded(aDeployment().pushedAt(at(1)));
    Deployment active = claim().orElseThrow();
    Deployment leasedPending = recorded(aDeployment().environment("production").pushedAt(at(4)));

    // WHEN / THEN pending ones are always listed, ordered by app, environment, push
    assertEquals(
        List.of(cart.id(), prod.id(), leasedPending.id(), active.id()),
        ids(ledger.inFlight(at(0))));
    // AND the active one (claimed, still PENDING) drops out while leased, and comes back when the
    // lease expires; a lease on a deployment without the slot changes nothing
    assertTrue(ledger.lease(active.id(), "worker", at(0), at(60)));
    assertTrue(ledger.lease(leasedPending.id(), "worker", at(0), at(60)));
    assertEquals(List.of(cart.id(), prod.id(), leasedPending.id()), ids(ledger.inFlight(at(59))));
    assertEquals(
        List.of(cart.id(), prod.id(), leasedPending.id(), active.id()),
        ids(ledger.inFlight(at(60))));
    // AND once released it is listed at once
    ledger.release(active.id(), "worker");
    assertTrue(ids(ledger.inFlight(at(1))).contains(active.id()));
  }

  /** Records {@code b} under a fresh event key and returns it as stored. */
  protected Deployment recorded(Deployment.Builder b) {
    Deployment d = b.build();
    return ledger.record("event-" + UUID.randomUUID(), "test", T0, List.of(d)).orElseThrow().get(0);
  }

  protected Optional<Deployment> claim() {
    return ledger.claimNext("shop", "staging", "test-claimer", at(1000));
  }

  protected static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  protected static List<String> ids(List<Deployment> deployments) {
    return deployments.stream().map(Deployment::id).toList();
  }

  /** The deployment as a ledger keeps it: instants in whole microseconds. */
  protected static Deployment micros(Deployment d) {
    return d.toBuilder()
        .pushedAt(micros(d.pushedAt()))
        .createdAt(micros(d.createdAt()))
        .updatedAt(micros(d.updatedAt()))
        .verifyStartedAt(micros(d.verifyStartedAt()))
        .restoredAt(micros(d.restoredAt()))
        .build();
  }

  protected static List<Deployment> micros(List<Deployment> ds) {
    return ds.stream().map(LedgerSlotContract::micros).toList();
  }

  private static Instant micros(Instant at) {
    return at == null ? null : at.truncatedTo(ChronoUnit.MICROS);
  }
}
