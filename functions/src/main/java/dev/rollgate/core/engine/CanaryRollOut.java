package dev.rollgate.core.engine;

import dev.rollgate.core.engine.Step.Outcome;
import dev.rollgate.core.manifest.CanarySpec;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.model.CanaryProgress;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.core.port.ServicePlatform.Revision;
import java.time.Instant;

/**
 * ROLLING_OUT to VERIFYING of a canary release: stages the new revision without traffic, or, when
 * nothing served before (so there is no traffic to split), rolls it out all at once and says so.
 * Idempotent per deployment, like {@link RollOutStep}.
 */
final class CanaryRollOut {

  private final StepContext ctx;

  CanaryRollOut(StepContext ctx) {
    this.ctx = ctx;
  }

  Outcome run(Deployment d, EnvironmentSpec env) {
    return d.previousRevision() == null ? allAtOnce(d, env) : stage(d, env);
  }

  private Outcome allAtOnce(Deployment d, EnvironmentSpec env) {
    return new RollOutStep(ctx)
        .rollOut(
            d, env, " (canary skipped: nothing served before, so there is no traffic to split)");
  }

  private Outcome stage(Deployment d, EnvironmentSpec env) {
    CanarySpec spec = env.canary();
    ServicePlatform platform = ctx.platform(env);
    Revision revision;
    try {
      revision =
          ctx.retry.platform(
              "stage " + d.image().display() + " on " + env.target().display(),
              () -> platform.stage(env.target(), d.id(), d.image()));
    } catch (PlatformException e) {
      return Outcome.next(
          ctx.save(
              d.toBuilder().phase(Phase.ERRORED).build(),
              "canary: staging failed: " + e.getMessage()));
    }
    Instant now = ctx.clock.now();
    return Outcome.next(
        ctx.save(
            d.toBuilder()
                .phase(Phase.VERIFYING)
                .revision(revision.id())
                .verifyStartedAt(now)
                .successes(0)
                .failures(0)
                .canary(CanaryProgress.staged(spec.steps().size(), revision.url(), now))
                .build(),
            "canary: revision "
                + revision.id()
                + " of "
                + d.image().display()
                + " staged without traffic at "
                + revision.url()
                + "; steps "
                + spec.steps()
                + " %, each analysed for "
                + spec.pause().toMillis()
                + "ms"));
  }
}
