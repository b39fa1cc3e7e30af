package dev.rollgate.core.port;

import dev.rollgate.core.model.AbortRequest;
import dev.rollgate.core.model.ChainCheck;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.DoraFigures;
import dev.rollgate.core.model.Transition;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable record of everything rollgate decided: deployments and their versions, the
 * append-only transition log, received-event keys, leases, and the single active slot per app and
 * environment.
 */
public interface Ledger {

  /**
   * Records the deployments an event asked for, atomically with the event's key, and a first
   * transition for each. Returns empty when the key was recorded before: a duplicate delivery.
   */
  default Optional<List<Deployment>> record(
      String eventKey, String source, Instant receivedAt, List<Deployment> deployments) {
    return record(
        List.of(Objects.requireNonNull(eventKey, "eventKey")), source, receivedAt, deployments);
  }

  /**
   * Like {@link #record(String, String, Instant, List)} for an event known by several keys (its
   * sender's id, and a digest of what its signature covers): every key is recorded with the
   * deployments, and it is a duplicate (empty, nothing stored) when any of them was recorded
   * before.
   */
  Optional<List<Deployment>> record(
      List<String> eventKeys, String source, Instant receivedAt, List<Deployment> deployments);

  /**
   * Notes when the commit behind these deployments' image was made, as the event that asked for
   * them said (DORA's lead time from the commit, docs/dora.md); a deployment that has one keeps it.
   */
  void recordCommitTime(List<String> deploymentIds, Instant committedAt);

  /**
   * Whether any of {@code eventKeys} was recorded before, read without writing anything (a plan
   * asks this; {@link #record} is what decides). Empty when this ledger cannot say.
   */
  default Optional<Boolean> received(List<String> eventKeys) {
    return Optional.empty();
  }

  Optional<Deployment> find(String id);

  /**
   * Writes the next version of a deployment: succeeds only when the stored version is still {@code
   * next.version()} (nobody else wrote in between), then bumps the version. Logs a transition when
   * the phase changes, or a canary's {@link dev.rollgate.core.model.CanaryProgress#milestone}.
   * Clearing {@code active} frees the app+environment's slot.
   *
   * @throws ConcurrentUpdateException when another writer got there first
   */
  Deployment save(Deployment next, String actor, String reason);

  /**
   * Like {@link #save}, and logs the transition even when the phase stays: a release of several
   * services moved on to another part (a part restored while the release stays ROLLING_BACK), which
   * the timeline must tell. A ledger that cannot do so saves without it.
   */
  default Deployment saveNoted(Deployment next, String actor, String reason) {
    return save(next, actor, reason);
  }

  /**
   * Gives the app+environment's active slot to its newest pending deployment and supersedes the
   * older pending ones (and the newest too, when a newer image already started). Returns the
   * deployment that now holds the slot, or empty when the slot is held or nothing is pending.
   */
  Optional<Deployment> claimNext(String app, String environment, String actor, Instant now);

  /**
   * Takes or renews the lease on a deployment, so that one invocation at a time advances it.
   * Returns false when someone else holds an unexpired lease.
   */
  boolean lease(String deploymentId, String owner, Instant now, Instant until);

  /** Gives a lease back early; does nothing when {@code owner} does not hold it. */
  void release(String deploymentId, String owner);

  /** Deployments with work left: pending ones, and active ones whose lease is free or expired. */
  List<Deployment> inFlight(Instant now);

  /**
   * True when {@code digest} FAILED, ERRORED, was ROLLED_BACK or ROLLBACK_FAILED in this
   * environment on its own merits: it is not deployed there again without an explicit override. A
   * deployment that ended because of rollgate's configuration ({@link
   * Deployment#configurationFault()}) does not count. Read from the transition log, so that
   * rewriting a deployment's row does not clear it.
   */
  boolean isKnownBad(String app, String environment, String digest);

  /** The newest SUCCEEDED deployment, of any digest when {@code digest} is null. */
  Optional<Deployment> lastSucceeded(String app, String environment, String digest);

  /** Deployments of an app+environment, newest first. */
  List<Deployment> deployments(String app, String environment, int limit);

  /** The transitions of one deployment, oldest first. */
  List<Transition> transitions(String deploymentId);

  /** All transitions after sequence number {@code afterSeq}, oldest first. */
  List<Transition> timeline(long afterSeq, int limit);

  /**
   * Recomputes the hash chain over the whole transition log, oldest first: intact, or the first
   * transition that was changed or removed behind the ledger's back.
   */
  ChainCheck verifyChain();

  /**
   * The chain as {@code status} reports it: by default {@link #verifyChain()}; a ledger whose log
   * grows large may check, after one full walk, what was written since and a slice of the rest each
   * time ({@code JdbcLedger}; docs/performance.md), leaving the full walk to {@code verify-ledger}.
   */
  default ChainCheck checkChain() {
    return verifyChain();
  }

  /**
   * Records a person's request to stop a deployment, atomically with a transition whose actor is
   * who asked ({@code abort:<by>}) and whose reason says why. Only a deployment in an {@link
   * dev.rollgate.core.model.Phase#isAbortable() abortable} phase with no abort request yet takes
   * one: a PENDING deployment that does not hold its slot ends ABORTED at once (nothing of it ran);
   * any other keeps its phase, and the engine honours the request at its next step. The version is
   * bumped, so that a run holding an older copy learns of the request at its next save.
   *
   * @return empty for an unknown deployment; otherwise the deployment as stored after the call and
   *     whether this call recorded the request (false: it was recorded before, or the phase takes
   *     none)
   */
  Optional<AbortOutcome> requestAbort(String deploymentId, AbortRequest request);

  /** What {@link #requestAbort} found or did. */
  record AbortOutcome(Deployment deployment, boolean recorded) {}

  /**
   * The DORA figures of an app+environment from {@code since} to {@code until} (both included),
   * computed from the transition log and the deployments' receipt times (docs/dora.md), without
   * reading the history before the window beyond the last restore.
   */
  DoraFigures dora(String app, String environment, Instant since, Instant until);

  /** Another writer changed the deployment since it was read. */
  class ConcurrentUpdateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConcurrentUpdateException(String message) {
      super(message);
    }
  }
}
