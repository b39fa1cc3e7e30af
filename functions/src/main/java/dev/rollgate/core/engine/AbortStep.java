package dev.rollgate.core.engine;

import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;

/**
 * Honours a person's abort request (recorded by the ledger) at the deployment's next step: before
 * the service was touched it ends ABORTED at once; after a rollout may have been issued it goes to
 * ROLLING_BACK, and {@link RollbackStep} restores what served before and ends it ABORTED.
 */
final class AbortStep implements Step {

  private final StepContext ctx;

  AbortStep(StepContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Outcome run(Deployment d) {
    String who = "aborted by " + d.abortRequest().describe();
    if (d.phase() == Phase.PENDING || d.phase() == Phase.MIGRATING) {
      String untouched =
          d.phase() == Phase.PENDING
              ? "; nothing was touched"
              : "; the service was not touched (migrations that ran stay: the schema is not rolled"
                  + " back)";
      return Outcome.next(
          ctx.save(d.toBuilder().phase(Phase.ABORTED).active(false).build(), who + untouched));
    }
    // ROLLING_OUT (a rollout may have been issued even when its revision was not recorded) or
    // VERIFYING: restore what served before, the way a failed rollout does.
    return Outcome.next(
        ctx.save(
            d.toBuilder()
                .phase(Phase.ROLLING_BACK)
                .restoredAt(null)
                .verifyStartedAt(null)
                .successes(0)
                .failures(0)
                .build(),
            d.previousRevision() == null
                ? who + "; nothing served before, so there is nothing to restore"
                : who + "; rolling back to revision " + d.previousRevision()));
  }
}
