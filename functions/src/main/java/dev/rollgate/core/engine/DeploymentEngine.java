package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.HealthProbe;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.Ledger.ConcurrentUpdateException;
import dev.rollgate.core.port.MetricsGate;
import dev.rollgate.core.port.Notifier;
import dev.rollgate.core.port.SecretResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Advances deployments through their lifecycle, one idempotent step at a time, each recorded in the
 * ledger, for as long as the caller's time budget allows. Whatever is left when the budget runs out
 * (or the process dies) is picked up by {@link Reconciler} once the lease expires.
 */
public final class DeploymentEngine {

  private static final Logger LOG = Logger.getLogger(DeploymentEngine.class.getName());

  private final StepContext ctx;
  private final StartStep start;
  private final MigrateStep migrate;
  private final RollOutStep rollOut;
  private final VerifyStep verify;
  private final RollbackStep rollback;
  private final AbortStep abort;
  private final CanaryStep canary;
  private final ReleaseSteps release;

  /** An engine whose canary analyses have no metrics gate ({@link MetricsGate#NONE}). */
  public DeploymentEngine(
      Manifest manifest,
      Ledger ledger,
      Platforms platforms,
      HealthProbe probe,
      SecretResolver secrets,
      Notifier notifier,
      Clock clock,
      EngineSettings settings) {
    this(manifest, ledger, platforms, probe, secrets, notifier, clock, settings, MetricsGate.NONE);
  }

  /**
   * @param metrics evaluates {@code strategy.canary.analysis.prometheus} at the end of each canary
   *     step
   */
  public DeploymentEngine(
      Manifest manifest,
      Ledger ledger,
      Platforms platforms,
      HealthProbe probe,
      SecretResolver secrets,
      Notifier notifier,
      Clock clock,
      EngineSettings settings,
      MetricsGate metrics) {
    // Outcomes are checked against the environment's DORA targets on their way to people.
    Notifier told = new DoraWatch(manifest, ledger, notifier);
    this.ctx =
        new StepContext(
            manifest, ledger, platforms, probe, secrets, told, clock, settings, metrics);
    this.start = new StartStep(ctx);
    this.migrate = new MigrateStep(ctx);
    this.rollOut = new RollOutStep(ctx);
    this.verify = new VerifyStep(ctx);
    this.rollback = new RollbackStep(ctx);
    this.abort = new AbortStep(ctx);
    this.canary = new CanaryStep(ctx);
    this.release = new ReleaseSteps(ctx, abort);
  }

  public Ledger ledger() {
    return ctx.ledger;
  }

  public Clock clock() {
    return ctx.clock;
  }

  public Manifest manifest() {
    return ctx.manifest;
  }

  /** Lets the notifier send what waits in the outbox (after a reconcile run). */
  void deliverNotifications() {
    ctx.deliver();
  }

  /** The registered platforms and migration runners (a plan asks them, read-only). */
  public Platforms platforms() {
    return ctx.platforms;
  }

  public SecretResolver secrets() {
    return ctx.secrets;
  }

  /**
   * Advances a deployment as far as the budget allows. A pending deployment first asks for its
   * app+environment's slot: when that goes to a newer pending deployment, the newer one is advanced
   * instead. When the deployment frees the slot, the next pending one is started.
   *
   * @return the deployment as last recorded
   */
  public Deployment advance(String deploymentId, Instant budgetEnd) throws InterruptedException {
    return advance(
        ctx.ledger
            .find(deploymentId)
            .orElseThrow(() -> new IllegalArgumentException("no deployment " + deploymentId)),
        budgetEnd);
  }

  /**
   * Advances a deployment the caller just read or recorded; a stale copy is harmless, since every
   * write checks the version it read.
   */
  public Deployment advance(Deployment d, Instant budgetEnd) throws InterruptedException {
    String deploymentId = d.id();
    Deployment result = d;
    Optional<Deployment> next = Optional.of(d);
    while (next.isPresent() && ctx.clock.now().isBefore(budgetEnd)) {
      Deployment current = next.get();
      if (current.phase() == Phase.PENDING && !current.active()) {
        current = claim(current).orElse(null);
        if (current == null) {
          break;
        }
      }
      Deployment advanced = run(current, budgetEnd);
      if (advanced.id().equals(deploymentId)) {
        result = advanced;
      }
      if (advanced.active() || advanced.phase() == Phase.PENDING) {
        break;
      }
      // The slot is free: whatever is pending for this app+environment goes next.
      next = claimAny(advanced.app(), advanced.environment());
    }
    if (!result.id().equals(deploymentId) || result.phase() == Phase.PENDING) {
      result = ctx.ledger.find(deploymentId).orElse(result);
    }
    return result;
  }

  private Optional<Deployment> claim(Deployment pending) {
    return claimAny(pending.app(), pending.environment());
  }

  private Optional<Deployment> claimAny(String app, String environment) {
    return ctx.ledger.claimNext(app, environment, ctx.settings.owner(), ctx.clock.now());
  }

  /** Runs steps on one deployment that holds its slot, under a lease. */
  private Deployment run(Deployment d, Instant budgetEnd) throws InterruptedException {
    String owner = ctx.settings.owner();
    Instant now = ctx.clock.now();
    if (!ctx.ledger.lease(d.id(), owner, now, now.plus(ctx.settings.lease()))) {
      return d;
    }
    Deployment current = d;
    try {
      while (!isResting(current)) {
        Step.Outcome outcome;
        try {
          outcome = stepFor(current).run(current);
        } catch (ConcurrentUpdateException e) {
          // An abort request bumps the version: read it and honour it, while the lease is ours.
          Deployment fresh = ctx.ledger.find(d.id()).orElse(current);
          now = ctx.clock.now();
          if (!fresh.abortRequested()
              || !ctx.ledger.lease(fresh.id(), owner, now, now.plus(ctx.settings.lease()))) {
            throw e;
          }
          LOG.info("deployment " + fresh.id() + ": abort requested, honouring it");
          current = fresh;
          continue;
        }
        current = outcome.deployment();
        Duration wait = outcome.waitFor();
        if (wait.isZero()) {
          if (!ctx.clock.now().isBefore(budgetEnd)) {
            break;
          }
          continue;
        }
        if (!ctx.clock.now().plus(wait).isBefore(budgetEnd)) {
          break;
        }
        ctx.clock.pause(wait);
        now = ctx.clock.now();
        if (!ctx.ledger.lease(current.id(), owner, now, now.plus(ctx.settings.lease()))) {
          LOG.warning("lost the lease on deployment " + current.id() + "; another run goes on");
          return current;
        }
      }
    } catch (ConcurrentUpdateException e) {
      // Someone else advanced it (a reconcile that took over an expired lease): they go on.
      LOG.warning(e.getMessage());
      return ctx.ledger.find(d.id()).orElse(current);
    } finally {
      ctx.ledger.release(d.id(), owner);
    }
    return current;
  }

  private static boolean isResting(Deployment d) {
    return d.phase().isTerminal() && !d.needsRollback();
  }

  private Step stepFor(Deployment d) {
    Step part = release.stepFor(d); // null unless it releases several services in order
    if (part != null) {
      return part;
    }
    if (d.abortRequested() && d.phase().isAbortable()) {
      return abort;
    }
    if (canary.applies(d)) {
      return canary;
    }
    return switch (d.phase()) {
      case PENDING -> start;
      case MIGRATING -> migrate;
      case ROLLING_OUT -> rollOut;
      case VERIFYING -> verify;
      case FAILED, ERRORED, ROLLING_BACK -> rollback;
      default -> throw new IllegalStateException("no step for phase " + d.phase());
    };
  }
}
