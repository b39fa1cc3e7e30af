package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.core.port.ServicePlatform.ServiceState;

/**
 * PENDING (holding the slot) to MIGRATING or ROLLING_OUT: refuses known-bad digests, and records
 * what serves now before anything is touched, so that a rollback knows where to go back to.
 */
final class StartStep implements Step {

  private final StepContext ctx;

  StartStep(StepContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Outcome run(Deployment d) {
    EnvironmentSpec env = ctx.environment(d);
    if (!d.override()
        && d.image().digest() != null
        && ctx.ledger.isKnownBad(d.app(), d.environment(), d.image().digest())) {
      return Outcome.next(
          ctx.save(
              d.toBuilder().phase(Phase.REFUSED).active(false).build(),
              KnownBad.reason(d.image().digest(), d.environment())));
    }
    ServicePlatform platform = ctx.platform(env);
    ServiceState serving;
    try {
      serving =
          ctx.retry.platform(
              "describe " + env.target().display(), () -> platform.describe(env.target()));
    } catch (PlatformException e) {
      // Nothing was touched yet: the slot is freed at once.
      return Outcome.next(
          ctx.save(
              d.toBuilder().phase(Phase.ERRORED).active(false).build(),
              "could not describe " + env.target().display() + ": " + e.getMessage()));
    }
    Phase next = env.migrations() != null ? Phase.MIGRATING : Phase.ROLLING_OUT;
    String reason =
        serving.revision() == null
            ? "nothing serves " + env.target().display() + " yet"
            : "serving before: revision "
                + serving.revision()
                + (serving.image() == null ? "" : " (" + serving.image().display() + ")");
    return Outcome.next(
        ctx.save(
            d.toBuilder()
                .phase(next)
                .previousRevision(serving.revision())
                .serviceUrl(serving.url())
                .build(),
            reason));
  }
}
