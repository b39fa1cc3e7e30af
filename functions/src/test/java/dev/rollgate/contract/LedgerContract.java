package dev.rollgate.contract;

import static dev.rollgate.testing.Deployments.T0;
import static dev.rollgate.testing.Deployments.aDeployment;
import static dev.rollgate.testing.Deployments.digest;
import static dev.rollgate.testing.Deployments.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.Ledger.ConcurrentUpdateException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Ledger} promises: record and find, optimistic saves, the audit log,
 * and the single active slot. Subclasses supply a fresh, empty ledger per test; the slot and lease
 * tests live in {@link LedgerSlotContract}, the hash chain in {@link LedgerChainContract}, which
 * this class extends.
 */
public abstract class LedgerContract extends LedgerDoraContract {

  /** A fresh, empty ledger; called before each test. */
  @Override
  protected abstract Ledger newLedger();

  @Test
  void record_shouldRoundTripEveryField_whenFoundAgain() {
    // GIVEN a deployment with every field set, and one with the optional fields empty
    Deployment full =
        aDeployment()
            .image(new ImageRef("registry.example.com:5000", "team/shop", "v7", digest(7)))
            .phase(Phase.VERIFYING)
            .version(3)
            .pushedAt(T0.minusSeconds(60))
            .createdAt(T0.plusNanos(1_000))
            .updatedAt(T0.plusSeconds(5))
            .triggerKey("event-7")
            .requestedBy("alice")
            .override(true)
            .promotedFrom("staging")
            .previousRevision("shop-00006")
            .revision("shop-00007")
            .serviceUrl("https://shop.example.com")
            .schemaVersion("42")
            .verifyStartedAt(T0.plusSeconds(3))
            .successes(2)
            .failures(1)
            .restoredAt(T0.plusSeconds(4))
            .detail("verifying: 2 of 3 probes healthy")
            .configurationFault(true)
            .build();
    Deployment bare = aDeployment().image(new ImageRef(null, "shop", null, null)).build();

    // WHEN both are recorded and read back
    Optional<List<Deployment>> recorded =
        ledger.record("event-7", "registry", T0, List.of(full, bare));

    // THEN what is read is what was written
    assertEquals(micros(List.of(full, bare)), micros(recorded.orElseThrow()));
    assertEquals(micros(full), micros(ledger.find(full.id()).orElseThrow()));
    assertEquals(micros(bare), micros(ledger.find(bare.id()).orElseThrow()));
    assertEquals(Optional.empty(), ledger.find("no-such-deployment"));
  }

  @Test
  void record_shouldLogFirstTransition_whenDeploymentIsRecorded() {
    // GIVEN a deployment with no detail and one with a detail
    Deployment plain = aDeployment().requestedBy("bob").build();
    Deployment refused = aDeployment().phase(Phase.REFUSED).detail("digest is known bad").build();

    // WHEN they are recorded
    ledger.record(key(), "registry", T0, List.of(plain, refused));

    // THEN each has one transition from nothing to its phase, by whoever asked
    Transition first = ledger.transitions(plain.id()).get(0);
    assertEquals(1, ledger.transitions(plain.id()).size());
    assertNull(first.from());
    assertEquals(Phase.PENDING, first.to());
    assertEquals("bob", first.actor());
    assertEquals("recorded", first.reason());
    assertEquals(plain.id(), first.deploymentId());
    assertEquals("shop", first.app());
    assertEquals("staging", first.environment());
    Transition second = ledger.transitions(refused.id()).get(0);
    assertEquals(Phase.REFUSED, second.to());
    assertEquals("digest is known bad", second.reason());
  }

  @Test
  void record_shouldReturnEmptyAndStoreNothing_whenEventKeyWasRecordedBefore() {
    // GIVEN an event that was recorded
    Deployment first = aDeployment().build();
    ledger.record("event-1", "registry", T0, List.of(first));

    // WHEN the same event arrives again
    Deployment again = aDeployment().build();
    Optional<List<Deployment>> result =
        ledger.record("event-1", "registry", T0.plusSeconds(1), List.of(again));

    // THEN it is a duplicate and nothing new is stored
    assertEquals(Optional.empty(), result);
    assertEquals(Optional.empty(), ledger.find(again.id()));
    assertEquals(List.of(first.id()), ids(ledger.deployments("shop", "staging", 10)));
  }

  @Test
  void record_shouldStillMarkTheKey_whenThereAreNoDeployments() {
    // GIVEN an event that asked for nothing
    Optional<List<Deployment>> first = ledger.record("event-2", "webhook", T0, List.of());

    // WHEN it arrives again
    Optional<List<Deployment>> second = ledger.record("event-2", "webhook", T0, List.of());

    // THEN the first was recorded and the second is a duplicate
    assertEquals(Optional.of(List.of()), first);
    assertEquals(Optional.empty(), second);
  }

  @Test
  void record_shouldBeADuplicateStoringNothing_whenAnyOfTheEventsKeysWasRecordedBefore() {
    // GIVEN an event recorded under its sender's id and the digest of its signed body
    assertTrue(
        ledger.record(List.of("github:d-1", "signed-1"), "github", T0, List.of()).isPresent());
    // WHEN the same body arrives under a new id
    Deployment d = aDeployment().build();
    Optional<List<Deployment>> replay =
        ledger.record(List.of("github:d-2", "signed-1"), "github", T0, List.of(d));
    // THEN it is a duplicate, and neither its deployment nor its new key was kept
    assertTrue(replay.isEmpty());
    assertTrue(ledger.find(d.id()).isEmpty());
    assertTrue(ledger.record("github:d-2", "github", T0, List.of()).isPresent());
  }

  @Test
  void save_shouldBumpVersionAndLogTransition_whenPhaseChanges() {
    // GIVEN a recorded deployment
    Deployment d = recorded(aDeployment());

    // WHEN it moves to MIGRATING
    Deployment saved =
        ledger.save(
            d.toBuilder().phase(Phase.MIGRATING).updatedAt(T0.plusSeconds(1)).build(),
            "engine",
            "slot claimed");

    // THEN the version is bumped and the move is in the log with who and why
    assertEquals(d.version() + 1, saved.version());
    assertEquals(Phase.MIGRATING, saved.phase());
    assertEquals(T0.plusSeconds(1), saved.updatedAt());
    assertEquals(saved, ledger.find(d.id()).orElseThrow());
    List<Transition> log = ledger.transitions(d.id());
    assertEquals(2, log.size());
    Transition last = log.get(1);
    assertEquals(Phase.PENDING, last.from());
    assertEquals(Phase.MIGRATING, last.to());
    assertEquals("engine", last.actor());
    assertEquals("slot claimed", last.reason());
    assertEquals(T0.plusSeconds(1), last.at());
  }

  @Test
  void save_shouldNotLogTransition_whenPhaseIsUnchanged() {
    // GIVEN a recorded deployment
    Deployment d = recorded(aDeployment().phase(Phase.VERIFYING));

    // WHEN only a counter changes
    Deployment saved = ledger.save(d.toBuilder().successes(1).build(), "engine", "probe ok");

    // THEN the version moves but the log does not
    assertEquals(d.version() + 1, saved.version());
    assertEquals(1, saved.successes());
    assertEquals(1, ledger.transitions(d.id()).size());
  }

  @Test
  void save_shouldThrowConcurrentUpdate_whenVersionIsStale() {
    // GIVEN two writers that read the same version, and the first one saved
    Deployment read = recorded(aDeployment());
    Deployment first = ledger.save(read.toBuilder().successes(1).build(), "a", "first");

    // WHEN the second one saves from the version it read
    ConcurrentUpdateException e =
        assertThrows(
            ConcurrentUpdateException.class,
            () -> ledger.save(read.toBuilder().phase(Phase.ABORTED).build(), "b", "second"));

    // THEN it is refused, names the deployment and the versions, and changes nothing
    assertTrue(e.getMessage().contains(read.id()), e.getMessage());
    assertTrue(e.getMessage().contains("version " + read.version()), e.getMessage());
    assertTrue(e.getMessage().contains("version " + first.version()), e.getMessage());
    assertEquals(first, ledger.find(read.id()).orElseThrow());
    assertEquals(1, ledger.transitions(read.id()).size());
  }

  @Test
  void save_shouldThrowConcurrentUpdate_whenDeploymentWasNeverRecorded() {
    // GIVEN a deployment the ledger does not know
    Deployment unknown = aDeployment().build();

    // WHEN it is saved / THEN it is refused
    assertThrows(ConcurrentUpdateException.class, () -> ledger.save(unknown, "a", "why"));
    assertEquals(Optional.empty(), ledger.find(unknown.id()));
  }

  @Test
  void transitions_shouldListOldestFirst_whenDeploymentMovedSeveralTimes() {
    // GIVEN a deployment that went through its phases
    Deployment d = recorded(aDeployment());
    d = ledger.save(d.toBuilder().phase(Phase.MIGRATING).build(), "engine", "migrate");
    d = ledger.save(d.toBuilder().phase(Phase.ROLLING_OUT).build(), "engine", "roll out");
    d = ledger.save(d.toBuilder().phase(Phase.FAILED).build(), "platform", "rolled back");

    // WHEN its transitions are read
    List<Transition> log = ledger.transitions(d.id());

    // THEN they come oldest first with who and why
    assertEquals(
        List.of(Phase.PENDING, Phase.MIGRATING, Phase.ROLLING_OUT, Phase.FAILED),
        log.stream().map(Transition::to).toList());
    assertEquals(
        List.of("test", "engine", "engine", "platform"),
        log.stream().map(Transition::actor).toList());
    assertEquals("rolled back", log.get(3).reason());
    assertEquals(Phase.ROLLING_OUT, log.get(3).from());
    assertTrue(log.get(0).seq() < log.get(1).seq() && log.get(2).seq() < log.get(3).seq());
    assertEquals(List.of(), ledger.transitions("no-such-deployment"));
  }

  @Test
  void timeline_shouldPageThroughAllTransitions_whenReadAfterLastSeq() {
    // GIVEN five transitions over three deployments
    Deployment a = recorded(aDeployment());
    Deployment b = recorded(aDeployment());
    ledger.save(a.toBuilder().phase(Phase.ABORTED).build(), "alice", "stop");
    recorded(aDeployment().environment("production"));
    ledger.save(b.toBuilder().phase(Phase.ABORTED).build(), "alice", "stop");

    // WHEN it is read two at a time
    List<Transition> page1 = ledger.timeline(0, 2);
    List<Transition> page2 = ledger.timeline(page1.get(1).seq(), 2);
    List<Transition> page3 = ledger.timeline(page2.get(1).seq(), 2);
    List<Transition> page4 = ledger.timeline(page3.get(0).seq(), 2);

    // THEN every transition comes once, in order
    assertEquals(2, page1.size());
    assertEquals(2, page2.size());
    assertEquals(1, page3.size());
    assertEquals(List.of(), page4);
    assertEquals(List.of(a.id(), b.id()), page1.stream().map(Transition::deploymentId).toList());
    assertEquals(Phase.ABORTED, page2.get(0).to());
    assertEquals("production", page2.get(1).environment());
    assertEquals(b.id(), page3.get(0).deploymentId());
    assertEquals(Phase.ABORTED, page3.get(0).to());
  }

  @Test
  void isKnownBad_shouldFollowMarksBad_whenDigestEndedInEachPhase() {
    // GIVEN one digest per phase, each deployed once in shop/staging
    for (Phase phase : Phase.values()) {
      recorded(aDeployment().image(image("v1", 100 + phase.ordinal())).phase(phase));
    }

    // WHEN each digest is asked about / THEN only FAILED, ERRORED, ROLLED_BACK, ROLLBACK_FAILED
    for (Phase phase : Phase.values()) {
      String digest = digest(100 + phase.ordinal());
      assertEquals(
          phase.marksBad(), ledger.isKnownBad("shop", "staging", digest), phase.toString());
      assertFalse(ledger.isKnownBad("shop", "production", digest), phase.toString());
      assertFalse(ledger.isKnownBad("cart", "staging", digest), phase.toString());
    }
    assertFalse(ledger.isKnownBad("shop", "staging", digest(99)));
  }

  @Test
  void isKnownBad_shouldBeFalse_whenTheDeploymentEndedForAConfigurationFault() {
    // GIVEN a digest ERRORED because of the configuration, not of the release
    Deployment d = aDeployment().image(image("v5", 5)).build();
    ledger.record(key(), "registry", T0, List.of(d));
    ledger.save(
        d.toBuilder().phase(Phase.ERRORED).configurationFault(true).build(), "engine", "config");
    // WHEN asked THEN it is not known-bad, and the classification was kept
    assertFalse(ledger.isKnownBad("shop", "staging", digest(5)));
    assertTrue(ledger.find(d.id()).orElseThrow().configurationFault());
    // AND a failure of the same digest on its own merits still is
    Deployment again = aDeployment().image(image("v5", 5)).build();
    ledger.record(key(), "registry", T0, List.of(again));
    ledger.save(again.toBuilder().phase(Phase.FAILED).build(), "engine", "unhealthy");
    assertTrue(ledger.isKnownBad("shop", "staging", digest(5)));
  }

  @Test
  void isKnownBad_shouldBeTrue_whenDigestFailedOnceAndSucceededLater() {
    // GIVEN a digest that failed, then succeeded on a retry
    recorded(aDeployment().image(image("v1", 5)).phase(Phase.FAILED));
    recorded(aDeployment().image(image("v1", 5)).phase(Phase.SUCCEEDED));

    // WHEN / THEN one bad outcome is enough
    assertTrue(ledger.isKnownBad("shop", "staging", digest(5)));
  }

  @Test
  void lastSucceeded_shouldReturnNewestSucceeded_withAndWithoutDigest() {
    // GIVEN two succeeded images and a newer failed one
    Deployment v1 = recorded(aDeployment().image(image("v1", 1)).phase(Phase.SUCCEEDED));
    Deployment v2 =
        recorded(
            aDeployment()
                .image(image("v2", 2))
                .pushedAt(T0.plusSeconds(10))
                .phase(Phase.SUCCEEDED));
    recorded(aDeployment().image(image("v3", 3)).pushedAt(T0.plusSeconds(20)).phase(Phase.FAILED));

    // WHEN / THEN the newest succeeded wins, the digest narrows it, other places have none
    assertEquals(
        Optional.of(v2.id()), ledger.lastSucceeded("shop", "staging", null).map(Deployment::id));
    assertEquals(
        Optional.of(v1.id()),
        ledger.lastSucceeded("shop", "staging", digest(1)).map(Deployment::id));
    assertEquals(Optional.empty(), ledger.lastSucceeded("shop", "staging", digest(3)));
    assertEquals(Optional.empty(), ledger.lastSucceeded("shop", "production", null));
  }

  @Test
  void deployments_shouldListNewestFirst_whenLimited() {
    // GIVEN three pushes to shop/staging, recorded out of order, and one elsewhere
    Deployment middle = recorded(aDeployment().pushedAt(T0.plusSeconds(10)));
    Deployment oldest = recorded(aDeployment().pushedAt(T0));
    Deployment newest = recorded(aDeployment().pushedAt(T0.plusSeconds(20)));
    recorded(aDeployment().environment("production").pushedAt(T0.plusSeconds(30)));

    // WHEN / THEN they come newest pushed first, cut at the limit
    assertEquals(
        List.of(newest.id(), middle.id(), oldest.id()),
        ids(ledger.deployments("shop", "staging", 10)));
    assertEquals(List.of(newest.id(), middle.id()), ids(ledger.deployments("shop", "staging", 2)));
    assertEquals(List.of(), ledger.deployments("cart", "staging", 10));
  }

  @Test
  void deployments_shouldRefuse_whenLimitIsNotPositive() {
    assertThrows(IllegalArgumentException.class, () -> ledger.deployments("shop", "staging", 0));
  }

  private static String key() {
    return "event-" + UUID.randomUUID();
  }
}
