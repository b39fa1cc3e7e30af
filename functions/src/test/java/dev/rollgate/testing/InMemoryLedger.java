package dev.rollgate.testing;

import dev.rollgate.core.model.AbortRequest;
import dev.rollgate.core.model.CanaryProgress;
import dev.rollgate.core.model.ChainCheck;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.DoraFigures;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.ledger.LedgerException;
import dev.rollgate.ledger.LedgerRules;
import dev.rollgate.ledger.TransitionChain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A thread-safe {@link Ledger} in memory with the same semantics as {@code JdbcLedger}, down to
 * keeping instants in whole microseconds; one lock guards everything, as one database would.
 */
public final class InMemoryLedger implements Ledger {

  /** A deployment as stored, with what the ledger keeps beside it. */
  private static final class Row {
    final long seq;
    Deployment deployment;
    String leaseOwner;
    Instant leaseUntil;

    Row(long seq, Deployment deployment) {
      this.seq = seq;
      this.deployment = deployment;
    }
  }

  private static final Comparator<Row> NEWEST_FIRST =
      Comparator.comparing((Row r) -> r.deployment.pushedAt())
          .thenComparingLong(r -> r.seq)
          .reversed();

  private final Map<String, Row> rows = new LinkedHashMap<>();
  // Deployment id -> when the commit behind its image was made, as its event said.
  private final Map<String, Instant> committed = new HashMap<>();
  private final List<Transition> transitions = new ArrayList<>();

  /** Beside each transition: the digest it concerns and its link in the hash chain. */
  private final List<String> digests = new ArrayList<>();

  private final List<Boolean> faults = new ArrayList<>();

  private final List<String> hashes = new ArrayList<>();
  private final Map<String, String> chainHeads = new HashMap<>();
  private final Set<String> eventKeys = new HashSet<>();
  private long deploymentSeq;
  private long transitionSeq;

  @Override
  public synchronized Optional<List<Deployment>> record(
      List<String> keys, String source, Instant receivedAt, List<Deployment> deployments) {
    LedgerRules.checkKeys(keys);
    if (keys.stream().anyMatch(eventKeys::contains)) {
      return Optional.empty();
    }
    for (Deployment d : deployments) {
      // Check everything first: like the database's transaction, a refused batch leaves no trace.
      if (rows.containsKey(d.id())) {
        throw new LedgerException("ledger record: deployment " + d.id() + " exists already");
      }
      if (d.active() && activeRow(d.app(), d.environment()).isPresent()) {
        throw new LedgerException(LedgerRules.slotHeld(d));
      }
    }
    eventKeys.addAll(keys);
    List<Deployment> stored = new ArrayList<>();
    for (Deployment d : deployments) {
      // Like the database's insert: a deployment is recorded without an abort request.
      Deployment row = micros(d.toBuilder().abortRequest(null).build());
      rows.put(row.id(), new Row(++deploymentSeq, row));
      log(
          row,
          null,
          row.createdAt(),
          d.requestedBy(),
          d.detail() != null ? d.detail() : "recorded");
      stored.add(row);
    }
    return Optional.of(List.copyOf(stored));
  }

  @Override
  public synchronized Optional<Boolean> received(List<String> keys) {
    LedgerRules.checkKeys(keys);
    return Optional.of(keys.stream().anyMatch(eventKeys::contains));
  }

  @Override
  public synchronized void recordCommitTime(List<String> deploymentIds, Instant committedAt) {
    if (committedAt == null) {
      return;
    }
    for (String id : deploymentIds) {
      if (rows.containsKey(id)) {
        committed.putIfAbsent(id, LedgerRules.micros(committedAt));
      }
    }
  }

  @Override
  public synchronized Optional<Deployment> find(String id) {
    return Optional.ofNullable(rows.get(id)).map(r -> r.deployment);
  }

  @Override
  public synchronized Deployment save(Deployment next, String actor, String reason) {
    return save(next, actor, reason, false);
  }

  @Override
  public synchronized Deployment saveNoted(Deployment next, String actor, String reason) {
    return save(next, actor, reason, true);
  }

  private Deployment save(Deployment next, String actor, String reason, boolean noted) {
    Row row = rows.get(next.id());
    Deployment current = row == null ? null : row.deployment;
    LedgerRules.checkSave(current, next);
    Optional<Row> holder = activeRow(next.app(), next.environment());
    if (next.active() && holder.isPresent() && holder.get() != row) {
      throw new LedgerException(LedgerRules.slotHeld(next));
    }
    // Only requestAbort writes the abort request: no save clears it.
    Deployment stored =
        micros(
            next.toBuilder()
                .version(next.version() + 1)
                .abortRequest(current.abortRequest())
                .build());
    row.deployment = stored;
    if (stored.phase() != current.phase()
        || noted
        || !java.util.Objects.equals(
            CanaryProgress.milestoneOf(stored), CanaryProgress.milestoneOf(current))) {
      log(stored, current.phase(), stored.updatedAt(), actor, reason);
    }
    return stored;
  }

  @Override
  public synchronized Optional<AbortOutcome> requestAbort(
      String deploymentId, AbortRequest request) {
    Row row = rows.get(deploymentId);
    if (row == null) {
      return Optional.empty();
    }
    Deployment current = row.deployment;
    Optional<Deployment> next = LedgerRules.abort(current, request);
    if (next.isEmpty()) {
      return Optional.of(new AbortOutcome(current, false));
    }
    row.deployment = next.get();
    log(
        row.deployment,
        current.phase(),
        row.deployment.updatedAt(),
        LedgerRules.abortActor(request),
        next.get().detail());
    return Optional.of(new AbortOutcome(row.deployment, true));
  }

  @Override
  public synchronized Optional<Deployment> claimNext(
      String app, String environment, String actor, Instant now) {
    Instant at = LedgerRules.micros(now);
    if (activeRow(app, environment).isPresent()) {
      return Optional.empty();
    }
    Optional<Deployment> started =
        of(app, environment)
            .filter(r -> !LedgerRules.NEVER_STARTED.contains(r.deployment.phase()))
            .sorted(NEWEST_FIRST)
            .map(r -> r.deployment)
            .findFirst();
    List<Row> pending =
        of(app, environment)
            .filter(r -> r.deployment.phase() == Phase.PENDING)
            .sorted(NEWEST_FIRST)
            .toList();
    Row winner = null;
    for (Row candidate : pending) {
      if (winner != null) {
        supersede(candidate, at, actor, LedgerRules.supersededBy(winner.deployment));
      } else if (started.isPresent()
          && started.get().pushedAt().isAfter(candidate.deployment.pushedAt())) {
        supersede(candidate, at, actor, LedgerRules.olderThanStarted(started.get()));
      } else {
        winner = candidate;
      }
    }
    if (winner == null) {
      return Optional.empty();
    }
    Deployment d = winner.deployment;
    winner.deployment = d.toBuilder().active(true).version(d.version() + 1).updatedAt(at).build();
    return Optional.of(winner.deployment);
  }

  @Override
  public synchronized boolean lease(String deploymentId, String owner, Instant now, Instant until) {
    Objects.requireNonNull(owner, "owner");
    Row row = rows.get(deploymentId);
    if (row == null) {
      return false;
    }
    boolean free =
        row.leaseOwner == null
            || row.leaseOwner.equals(owner)
            || !row.leaseUntil.isAfter(LedgerRules.micros(now));
    if (free) {
      row.leaseOwner = owner;
      row.leaseUntil = LedgerRules.micros(until);
    }
    return free;
  }

  @Override
  public synchronized void release(String deploymentId, String owner) {
    Row row = rows.get(deploymentId);
    if (row != null && row.leaseOwner != null && row.leaseOwner.equals(owner)) {
      row.leaseOwner = null;
      row.leaseUntil = null;
    }
  }

  @Override
  public synchronized List<Deployment> inFlight(Instant now) {
    Instant at = LedgerRules.micros(now);
    return rows.values().stream()
        .filter(
            r ->
                (r.deployment.phase() == Phase.PENDING && !r.deployment.active())
                    || (r.deployment.active()
                        && (r.leaseUntil == null || !r.leaseUntil.isAfter(at))))
        .sorted(
            Comparator.comparing((Row r) -> r.deployment.app())
                .thenComparing(r -> r.deployment.environment())
                .thenComparing(r -> r.deployment.pushedAt())
                .thenComparingLong(r -> r.seq))
        .map(r -> r.deployment)
        .toList();
  }

  @Override
  public synchronized boolean isKnownBad(String app, String environment, String digest) {
    if (digest == null) {
      return false;
    }
    for (int i = 0; i < transitions.size(); i++) {
      Transition t = transitions.get(i);
      if (t.app().equals(app)
          && t.environment().equals(environment)
          && digest.equals(digests.get(i))
          && t.to().marksBad()
          && !faults.get(i)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public synchronized ChainCheck verifyChain() {
    TransitionChain chain = new TransitionChain();
    for (int i = 0; i < transitions.size(); i++) {
      if (!chain.accept(transitions.get(i), digests.get(i), faults.get(i), hashes.get(i))) {
        break;
      }
    }
    return chain.result();
  }

  @Override
  public synchronized Optional<Deployment> lastSucceeded(
      String app, String environment, String digest) {
    return of(app, environment)
        .filter(r -> r.deployment.phase() == Phase.SUCCEEDED)
        .filter(r -> digest == null || digest.equals(r.deployment.image().digest()))
        .sorted(NEWEST_FIRST)
        .map(r -> r.deployment)
        .findFirst();
  }

  @Override
  public synchronized List<Deployment> deployments(String app, String environment, int limit) {
    LedgerRules.checkLimit(limit, "deployments");
    return of(app, environment).sorted(NEWEST_FIRST).limit(limit).map(r -> r.deployment).toList();
  }

  @Override
  public synchronized List<Transition> transitions(String deploymentId) {
    return transitions.stream().filter(t -> t.deploymentId().equals(deploymentId)).toList();
  }

  @Override
  public synchronized List<Transition> timeline(long afterSeq, int limit) {
    LedgerRules.checkLimit(limit, "timeline");
    return transitions.stream().filter(t -> t.seq() > afterSeq).limit(limit).toList();
  }

  @Override
  public synchronized DoraFigures dora(
      String app, String environment, Instant since, Instant until) {
    LedgerRules.checkWindow(since, until);
    Instant from = LedgerRules.micros(since);
    Instant to = LedgerRules.micros(until);
    // Deployments: each one's first outcome, success, failure and configuration fault.
    Map<String, Instant> outcomeAt = new LinkedHashMap<>();
    Map<String, Instant> succeededAt = new HashMap<>();
    Set<String> failed = new HashSet<>();
    Set<String> faulted = new HashSet<>();
    // Incidents: opened by a failure after the service was touched, closed by the next restore.
    Instant open = null;
    List<Long> restores = new ArrayList<>();
    for (int i = 0; i < transitions.size(); i++) {
      Transition t = transitions.get(i);
      if (!t.app().equals(app) || !t.environment().equals(environment)) {
        continue;
      }
      String id = t.deploymentId();
      if (faults.get(i)) {
        faulted.add(id);
      }
      if (!OUTCOMES.contains(t.to())) {
        continue;
      }
      outcomeAt.putIfAbsent(id, t.at());
      if (t.to() == Phase.SUCCEEDED) {
        succeededAt.putIfAbsent(id, t.at());
      } else {
        failed.add(id);
      }
      if (t.at().isAfter(to)) {
        continue;
      }
      boolean closes = t.to() == Phase.SUCCEEDED || t.to() == Phase.ROLLED_BACK;
      boolean opens =
          (t.to() == Phase.FAILED || t.to() == Phase.ERRORED)
              && (t.from() == Phase.ROLLING_OUT || t.from() == Phase.VERIFYING)
              && !faults.get(i);
      if (closes && open != null) {
        if (!open.isBefore(from)) {
          restores.add(micros(open, t.at()));
        }
        open = null;
      } else if (opens && open == null) {
        open = t.at();
      }
    }
    int deployments = 0;
    int succeeded = 0;
    int failures = 0;
    List<Long> leadTimes = new ArrayList<>();
    List<Long> fromCommit = new ArrayList<>();
    for (Map.Entry<String, Instant> e : outcomeAt.entrySet()) {
      String id = e.getKey();
      if (e.getValue().isBefore(from) || e.getValue().isAfter(to) || faulted.contains(id)) {
        continue;
      }
      deployments++;
      if (failed.contains(id)) {
        failures++;
      } else if (succeededAt.containsKey(id)) {
        succeeded++;
        leadTimes.add(micros(received(rows.get(id).deployment), succeededAt.get(id)));
        Instant commit = commitOf(rows.get(id).deployment);
        if (commit != null) {
          fromCommit.add(micros(commit, succeededAt.get(id)));
        }
      }
    }
    return new DoraFigures(
        app,
        environment,
        from,
        to,
        deployments,
        succeeded,
        failures,
        DoraFigures.median(leadTimes),
        restores.size(),
        DoraFigures.median(restores),
        open,
        DoraFigures.median(fromCommit));
  }

  /** The earliest commit time recorded for this digest of the app, in any environment. */
  private Instant commitOf(Deployment d) {
    if (d.image().digest() == null) {
      return committed.get(d.id());
    }
    return rows.values().stream()
        .map(r -> r.deployment)
        .filter(o -> o.app().equals(d.app()))
        .filter(o -> d.image().digest().equals(o.image().digest()))
        .map(o -> committed.get(o.id()))
        .filter(Objects::nonNull)
        .min(Comparator.naturalOrder())
        .orElse(null);
  }

  private static final Set<Phase> OUTCOMES =
      Set.of(
          Phase.SUCCEEDED, Phase.FAILED, Phase.ERRORED, Phase.ROLLED_BACK, Phase.ROLLBACK_FAILED);

  /** When the app first received this digest, in any environment. */
  private Instant received(Deployment d) {
    return rows.values().stream()
        .map(r -> r.deployment)
        .filter(o -> o.app().equals(d.app()))
        .filter(o -> Objects.equals(o.image().digest(), d.image().digest()))
        .map(Deployment::createdAt)
        .min(Comparator.naturalOrder())
        .filter(at -> d.image().digest() != null)
        .orElse(d.createdAt());
  }

  private static long micros(Instant from, Instant to) {
    return java.time.temporal.ChronoUnit.MICROS.between(from, to);
  }

  private Stream<Row> of(String app, String environment) {
    return rows.values().stream()
        .filter(r -> r.deployment.app().equals(app))
        .filter(r -> r.deployment.environment().equals(environment));
  }

  private Optional<Row> activeRow(String app, String environment) {
    return of(app, environment).filter(r -> r.deployment.active()).findFirst();
  }

  private void supersede(Row row, Instant at, String actor, String why) {
    Deployment d = row.deployment;
    row.deployment =
        d.toBuilder()
            .phase(Phase.SUPERSEDED)
            .version(d.version() + 1)
            .updatedAt(at)
            .detail(why)
            .build();
    log(row.deployment, Phase.PENDING, at, actor, why);
  }

  private void log(Deployment d, Phase from, Instant at, String actor, String reason) {
    Transition t =
        new Transition(
            ++transitionSeq, d.id(), d.app(), d.environment(), from, d.phase(), at, actor, reason);
    String digest = d.image().digest();
    String chain = TransitionChain.chain(d.app(), d.environment());
    String hash = TransitionChain.hash(chainHeads.get(chain), t, digest, d.configurationFault());
    chainHeads.put(chain, hash);
    hashes.add(hash);
    transitions.add(t);
    digests.add(digest);
    faults.add(d.configurationFault());
  }

  private static Deployment micros(Deployment d) {
    return d.toBuilder()
        .pushedAt(LedgerRules.micros(d.pushedAt()))
        .createdAt(LedgerRules.micros(d.createdAt()))
        .updatedAt(LedgerRules.micros(d.updatedAt()))
        .verifyStartedAt(LedgerRules.micros(d.verifyStartedAt()))
        .restoredAt(LedgerRules.micros(d.restoredAt()))
        .canary(
            d.canary() == null
                ? null
                : new CanaryProgress(
                    d.canary().state(),
                    d.canary().step(),
                    d.canary().steps(),
                    d.canary().share(),
                    d.canary().url(),
                    LedgerRules.micros(d.canary().stepStartedAt()),
                    d.canary().probes(),
                    d.canary().unhealthy(),
                    d.canary().latenciesMs()))
        .build();
  }
}
