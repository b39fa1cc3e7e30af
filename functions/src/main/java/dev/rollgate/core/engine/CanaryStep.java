package dev.rollgate.core.engine;

import dev.rollgate.core.engine.CanaryAnalysis.Judgement;
import dev.rollgate.core.manifest.CanarySpec;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.HealthSpec;
import dev.rollgate.core.model.CanaryProgress;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.HealthProbe;
import dev.rollgate.core.port.MetricsGate;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Logger;

/**
 * ROLLING_OUT and VERIFYING of an environment with {@code strategy.canary}: stages the new revision
 * without traffic, then gives it each step's share in turn and analyses it over the pause (see
 * {@link CanaryAnalysis}); after the last step (100 %) passes it is SUCCEEDED. A failed analysis
 * moves all traffic back at once ({@code split(..., 0)}) and ends FAILED, and the rollback comes
 * next. Each step's start and result is a transition in the ledger; a window that no run watched (a
 * crash, a spent budget) is analysed again in full, so no step is ever passed unwatched.
 */
final class CanaryStep implements Step {

  private static final Logger LOG = Logger.getLogger(CanaryStep.class.getName());

  private final StepContext ctx;
  private final CanaryRollOut rollOut;

  CanaryStep(StepContext ctx) {
    this.ctx = ctx;
    this.rollOut = new CanaryRollOut(ctx);
  }

  /** True when {@code d} is a canary release this step advances. */
  boolean applies(Deployment d) {
    if (d.phase() == Phase.VERIFYING) {
      return d.canary() != null;
    }
    return d.phase() == Phase.ROLLING_OUT
        && ctx.manifest
            .environment(d.app(), d.environment())
            .map(env -> env.canary() != null)
            .orElse(false);
  }

  @Override
  public Outcome run(Deployment d) {
    EnvironmentSpec env = ctx.environment(d);
    if (d.phase() == Phase.ROLLING_OUT) {
      return rollOut.run(d, env);
    }
    CanaryProgress c = d.canary();
    return switch (c.state()) {
      case STAGED -> awaitReady(d, env);
      case ANALYSING -> analyse(d, env);
      case PASSED -> c.lastStep() ? succeed(d, env) : nextStep(d, env);
      default -> throw new IllegalStateException("canary " + c.milestone() + " in VERIFYING");
    };
  }

  /** Step 0: the staged revision must run before it receives any traffic. */
  private Outcome awaitReady(Deployment d, EnvironmentSpec env) {
    RolloutStatus status;
    try {
      status = observe(d, env);
    } catch (PlatformException e) {
      return fail(d, env, "could not observe revision " + d.revision() + ": " + e.getMessage());
    }
    switch (status.state()) {
      case READY:
        return nextStep(d, env);
      case IN_PROGRESS:
        Duration waited = Duration.between(d.verifyStartedAt(), ctx.clock.now());
        if (waited.compareTo(env.health().deadline()) >= 0) {
          return fail(
              d,
              env,
              "not ready within " + env.health().deadline().toMillis() + "ms: " + status.detail());
        }
        return Outcome.waiting(
            ctx.progress(d.toBuilder().detail(status.detail()).build()), env.health().interval());
      default:
        return fail(d, env, "platform: " + status.detail());
    }
  }

  private Outcome nextStep(Deployment d, EnvironmentSpec env) {
    CanarySpec spec = env.canary();
    CanaryProgress c = d.canary();
    int step = c.step() + 1;
    int share = spec.share(step - 1);
    try {
      split(d, env, share);
    } catch (PlatformException e) {
      return error(d, env, "could not send " + share + " % to " + d.revision(), e);
    }
    return Outcome.next(
        ctx.save(
            d.toBuilder().canary(c.analysing(step, share, ctx.clock.now())).build(),
            "canary step "
                + step
                + "/"
                + c.steps()
                + ": "
                + share
                + " % to "
                + d.revision()
                + " (analysed for "
                + spec.pause().toMillis()
                + "ms: "
                + criteria(spec)
                + ")"));
  }

  private Outcome analyse(Deployment d, EnvironmentSpec env) {
    CanarySpec spec = env.canary();
    HealthSpec health = env.health();
    CanaryProgress c = d.canary();
    Instant now = ctx.clock.now();
    Duration gap = Duration.between(d.updatedAt(), now);
    if (gap.compareTo(health.interval().multipliedBy(2).plus(health.timeout())) > 0) {
      // Nobody watched the canary for a while (a crash, a spent budget): watch the step again in
      // full, and make sure the share is what the ledger says.
      try {
        split(d, env, c.share());
      } catch (PlatformException e) {
        return error(d, env, "could not send " + c.share() + " % to " + d.revision(), e);
      }
      LOG.info(d.id() + ": canary step " + c.step() + " resumed after " + gap.toMillis() + "ms");
      d =
          ctx.progress(
              d.toBuilder()
                  .canary(c.restarted(now))
                  .detail(
                      "canary step "
                          + c.step()
                          + "/"
                          + c.steps()
                          + " analysed again in full: "
                          + gap.toMillis()
                          + "ms went unwatched")
                  .build());
      c = d.canary();
    }
    RolloutStatus status;
    try {
      status = observe(d, env);
    } catch (PlatformException e) {
      status = RolloutStatus.inProgress("could not observe: " + e.getMessage());
    }
    if (status.state() == RolloutStatus.State.FAILED
        || status.state() == RolloutStatus.State.REVERTED) {
      return fail(d, env, "platform: " + status.detail());
    }
    boolean healthy;
    String detail;
    Instant start = ctx.clock.now();
    if (status.state() == RolloutStatus.State.READY) {
      HealthProbe.Result probe = ctx.probe.probe(health, health.resolveUrl(c.url()));
      healthy = probe.healthy();
      detail = probe.detail();
    } else {
      healthy = false;
      detail = "platform: " + status.detail();
    }
    long latency = Duration.between(start, ctx.clock.now()).toMillis();
    Deployment counted = d.toBuilder().canary(c.probed(healthy, latency)).detail(detail).build();
    Judgement judgement = CanaryAnalysis.judge(spec, health, counted.canary(), ctx.clock.now());
    switch (judgement.kind()) {
      case FAIL:
        return fail(counted, env, judgement.detail() + "; last: " + detail);
      case PASS:
        String metrics = "";
        if (spec.analysis().prometheus() != null) {
          MetricsGate.Verdict verdict =
              ctx.metrics.evaluate(spec.analysis().prometheus(), vars(d, env));
          if (!verdict.pass()) {
            return fail(
                counted, env, judgement.detail() + ", but prometheus said no: " + verdict.detail());
          }
          metrics = "; prometheus: " + verdict.detail();
        }
        return Outcome.next(
            ctx.save(
                counted.toBuilder().canary(counted.canary().passed()).build(),
                "canary step "
                    + c.step()
                    + "/"
                    + c.steps()
                    + " passed: "
                    + judgement.detail()
                    + metrics));
      default:
        return Outcome.waiting(ctx.progress(counted), health.interval());
    }
  }

  private Outcome succeed(Deployment d, EnvironmentSpec env) {
    try {
      split(d, env, 100);
    } catch (PlatformException e) {
      return error(d, env, "could not give all traffic to " + d.revision(), e);
    }
    try {
      ctx.platform(env).retire(env.target(), d.revision());
    } catch (PlatformException e) {
      LOG.warning("could not retire old revisions of " + env.target().display() + ": " + e);
    }
    return Outcome.next(
        ctx.save(
            d.toBuilder().phase(Phase.SUCCEEDED).active(false).build(),
            "healthy: canary passed all "
                + d.canary().steps()
                + " steps; revision "
                + d.revision()
                + " takes all traffic"));
  }

  /** A failed analysis: all traffic back at once, then FAILED (the rollback comes next). */
  private Outcome fail(Deployment d, EnvironmentSpec env, String why) {
    CanaryProgress c = d.canary();
    try {
      split(d, env, 0);
    } catch (PlatformException e) {
      return error(d, env, "canary step " + c.step() + " failed (" + why + ") and traffic", e);
    }
    Deployment failed =
        d.toBuilder().phase(Phase.FAILED).canary(c.failed()).successes(0).failures(0).build();
    if (!env.rollbackOnFailure()) {
      failed = failed.toBuilder().active(false).build();
    }
    return Outcome.next(
        ctx.save(
            failed,
            "canary step "
                + c.step()
                + "/"
                + c.steps()
                + " failed at "
                + c.share()
                + " %: "
                + why
                + "; all traffic back to revision "
                + d.previousRevision()));
  }

  /** A platform call that failed for good: ERRORED, and the rollback restores what served. */
  private Outcome error(Deployment d, EnvironmentSpec env, String what, PlatformException e) {
    return Outcome.next(
        ctx.save(
            d.toBuilder().phase(Phase.ERRORED).canary(d.canary().stopped()).build(),
            what + " failed: " + e.getMessage()));
  }

  private void split(Deployment d, EnvironmentSpec env, int share) throws PlatformException {
    ctx.retry.platform(
        "send " + share + " % of " + env.target().display() + " to " + d.revision(),
        () -> {
          ctx.platform(env).split(env.target(), d.revision(), d.previousRevision(), share);
          return null;
        });
  }

  /**
   * Sends all traffic back to what served before when {@code d} is a canary holding a share: the
   * rollback and the abort call it before they restore.
   */
  static void withdraw(StepContext ctx, Deployment d, EnvironmentSpec env)
      throws PlatformException {
    if (d.canary() == null || d.canary().share() == 0 || d.previousRevision() == null) {
      return;
    }
    ctx.retry.platform(
        "send all of " + env.target().display() + " back to " + d.previousRevision(),
        () -> {
          ctx.platform(env).split(env.target(), d.revision(), d.previousRevision(), 0);
          return null;
        });
  }

  private RolloutStatus observe(Deployment d, EnvironmentSpec env) throws PlatformException {
    return ctx.retry.platform(
        "observe revision " + d.revision(),
        () -> ctx.platform(env).observe(env.target(), d.revision()));
  }

  private static Map<String, String> vars(Deployment d, EnvironmentSpec env) {
    String service = env.target().get("service");
    return Map.of(
        "revision", d.revision(),
        "service", service == null ? env.target().display() : service,
        "app", d.app(),
        "environment", d.environment());
  }

  private static String criteria(CanarySpec spec) {
    return "success rate >= "
        + CanaryAnalysis.percent(spec.analysis().successRate())
        + ", p95 latency <= "
        + spec.analysis().latency().toMillis()
        + "ms"
        + (spec.analysis().prometheus() == null
            ? ""
            : ", prometheus " + spec.analysis().prometheus().expect());
  }
}
