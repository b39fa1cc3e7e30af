package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.core.port.ServicePlatform.Revision;

/**
 * ROLLING_OUT to VERIFYING: asks the platform for a new revision of the pinned image. The platform
 * keys the revision by deployment id, so running this step twice creates one revision.
 */
final class RollOutStep implements Step {

  private final StepContext ctx;

  RollOutStep(StepContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Outcome run(Deployment d) {
    return rollOut(d, ctx.environment(d), "");
  }

  /** Rolls out all at once; {@code why} ends the transition's reason (say why, when not usual). */
  Outcome rollOut(Deployment d, EnvironmentSpec env, String why) {
    ServicePlatform platform = ctx.platform(env);
    Revision revision;
    try {
      revision =
          ctx.retry.platform(
              "roll out " + d.image().display() + " to " + env.target().display(),
              () -> platform.rollOut(env.target(), d.id(), d.image()));
    } catch (PlatformException e) {
      // The call may have half-happened: keep the slot so that the rollback restores what served.
      return Outcome.next(
          ctx.save(
              d.toBuilder().phase(Phase.ERRORED).build(), "rollout failed: " + e.getMessage()));
    }
    return Outcome.next(
        ctx.save(
            d.toBuilder()
                .phase(Phase.VERIFYING)
                .revision(revision.id())
                .serviceUrl(revision.url())
                .verifyStartedAt(ctx.clock.now())
                .successes(0)
                .failures(0)
                .build(),
            "rollout issued: revision " + revision.id() + " of " + d.image().display() + why));
  }
}
