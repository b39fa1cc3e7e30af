package dev.rollgate.testing;

import dev.rollgate.core.model.AbortRequest;
import dev.rollgate.core.model.ChainCheck;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.DoraFigures;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.Ledger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Wraps a ledger and "dies" right after its Nth write has been committed: the write stays, the
 * caller never learns of it, as when a function is killed between two steps.
 */
public final class CrashingLedger implements Ledger {

  /** The simulated death of the process. */
  public static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash(int write) {
      super("simulated crash after ledger write #" + write);
    }
  }

  private final Ledger delegate;
  private final int crashAfter;
  private final AtomicInteger writes = new AtomicInteger();

  public CrashingLedger(Ledger delegate, int crashAfter) {
    this(delegate, crashAfter, null);
  }

  private CrashingLedger(Ledger delegate, int crashAfter, Phase entering) {
    this.delegate = delegate;
    this.crashAfter = crashAfter;
    this.entering = entering;
  }

  /**
   * Dies right after the write that made a deployment active in {@code phase} (for PENDING: the
   * claim of its slot): the run leaves it there, its lease held until it expires.
   */
  public static CrashingLedger whenEntering(Ledger delegate, Phase phase) {
    return new CrashingLedger(delegate, Integer.MAX_VALUE, phase);
  }

  /**
   * Dies right after the first write of a deployment that {@code written} accepts (e.g. a release
   * that moved on to its second part).
   */
  public static CrashingLedger whenWritten(Ledger delegate, Predicate<Deployment> written) {
    CrashingLedger c = new CrashingLedger(delegate, Integer.MAX_VALUE, null);
    c.writtenMatch = written;
    return c;
  }

  private Predicate<Deployment> writtenMatch;

  private final Phase entering;

  public int writes() {
    return writes.get();
  }

  private volatile boolean dead;

  private <T> T wrote(T result) {
    int n = writes.incrementAndGet();
    Object written = result instanceof Optional<?> o ? o.orElse(null) : result;
    boolean entered =
        entering != null && written instanceof Deployment d && d.phase() == entering && d.active();
    entered |= writtenMatch != null && written instanceof Deployment w && writtenMatch.test(w);
    if (n == crashAfter || entered) {
      dead = true;
      throw new Crash(n);
    }
    return result;
  }

  /** A dead process does nothing more: not even the release in a finally block. */
  private void alive() {
    if (dead) {
      throw new Crash(crashAfter);
    }
  }

  public boolean crashed() {
    return dead;
  }

  @Override
  public Optional<List<Deployment>> record(
      List<String> eventKeys, String source, Instant receivedAt, List<Deployment> deployments) {
    alive();
    return wrote(delegate.record(eventKeys, source, receivedAt, deployments));
  }

  @Override
  public Deployment save(Deployment next, String actor, String reason) {
    alive();
    return wrote(delegate.save(next, actor, reason));
  }

  @Override
  public Deployment saveNoted(Deployment next, String actor, String reason) {
    alive();
    return wrote(delegate.saveNoted(next, actor, reason));
  }

  @Override
  public Optional<Deployment> claimNext(String app, String environment, String actor, Instant now) {
    alive();
    return wrote(delegate.claimNext(app, environment, actor, now));
  }

  @Override
  public Optional<AbortOutcome> requestAbort(String deploymentId, AbortRequest request) {
    alive();
    return wrote(delegate.requestAbort(deploymentId, request));
  }

  @Override
  public boolean lease(String deploymentId, String owner, Instant now, Instant until) {
    alive();
    return wrote(delegate.lease(deploymentId, owner, now, until));
  }

  @Override
  public void release(String deploymentId, String owner) {
    alive();
    delegate.release(deploymentId, owner);
  }

  @Override
  public void recordCommitTime(List<String> deploymentIds, Instant committedAt) {
    delegate.recordCommitTime(deploymentIds, committedAt);
  }

  @Override
  public Optional<Deployment> find(String id) {
    alive();
    return delegate.find(id);
  }

  @Override
  public List<Deployment> inFlight(Instant now) {
    alive();
    return delegate.inFlight(now);
  }

  @Override
  public boolean isKnownBad(String app, String environment, String digest) {
    alive();
    return delegate.isKnownBad(app, environment, digest);
  }

  @Override
  public Optional<Deployment> lastSucceeded(String app, String environment, String digest) {
    alive();
    return delegate.lastSucceeded(app, environment, digest);
  }

  @Override
  public List<Deployment> deployments(String app, String environment, int limit) {
    alive();
    return delegate.deployments(app, environment, limit);
  }

  @Override
  public List<Transition> transitions(String deploymentId) {
    alive();
    return delegate.transitions(deploymentId);
  }

  @Override
  public List<Transition> timeline(long afterSeq, int limit) {
    alive();
    return delegate.timeline(afterSeq, limit);
  }

  @Override
  public ChainCheck verifyChain() {
    alive();
    return delegate.verifyChain();
  }

  @Override
  public DoraFigures dora(String app, String environment, Instant since, Instant until) {
    alive();
    return delegate.dora(app, environment, since, until);
  }
}
