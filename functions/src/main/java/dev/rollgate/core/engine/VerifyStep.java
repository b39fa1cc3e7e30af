package dev.rollgate.core.engine;

import dev.rollgate.core.engine.Verification.Verdict;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.PlatformException;
import java.util.logging.Logger;

/**
 * VERIFYING to SUCCEEDED or FAILED: N consecutive healthy probes of a ready revision before the
 * deadline; a failure threshold or the platform giving up cuts it short. A deployment the platform
 * rolled back on its own is FAILED, never SUCCEEDED.
 */
final class VerifyStep implements Step {

  private static final Logger LOG = Logger.getLogger(VerifyStep.class.getName());

  private final StepContext ctx;
  private final Verification verification;

  VerifyStep(StepContext ctx) {
    this.ctx = ctx;
    this.verification = new Verification(ctx);
  }

  @Override
  public Outcome run(Deployment d) {
    EnvironmentSpec env = ctx.environment(d);
    Verdict verdict = verification.check(d, env, d.revision());
    switch (verdict.kind()) {
      case HEALTHY -> {
        retireOld(env, d);
        return Outcome.next(
            ctx.save(
                verdict.deployment().toBuilder().phase(Phase.SUCCEEDED).active(false).build(),
                "healthy: " + verdict.detail()));
      }
      case UNHEALTHY -> {
        // The slot stays held: the rollback comes next.
        Deployment failed =
            verdict.deployment().toBuilder().phase(Phase.FAILED).successes(0).failures(0).build();
        if (!env.rollbackOnFailure()) {
          failed = failed.toBuilder().active(false).build();
        }
        return Outcome.next(ctx.save(failed, verdict.detail()));
      }
      default -> {
        return Outcome.waiting(verdict.deployment(), env.health().interval());
      }
    }
  }

  private void retireOld(EnvironmentSpec env, Deployment d) {
    try {
      ctx.platform(env).retire(env.target(), d.revision());
    } catch (PlatformException e) {
      // Old revisions left running cost money, not correctness; say so and go on.
      LOG.warning("could not retire old revisions of " + env.target().display() + ": " + e);
    }
  }
}
