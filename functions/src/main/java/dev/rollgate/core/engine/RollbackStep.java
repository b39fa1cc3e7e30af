package dev.rollgate.core.engine;

import dev.rollgate.core.engine.Verification.Verdict;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.PlatformException;

/**
 * FAILED / ERRORED to ROLLING_BACK, then ROLLED_BACK or ROLLBACK_FAILED: restores the revision that
 * served before and verifies it like any rollout. The schema is not rolled back (expand/contract).
 * An aborted deployment comes here from {@link AbortStep} and ends ABORTED instead of ROLLED_BACK.
 */
final class RollbackStep implements Step {

  private final StepContext ctx;
  private final Verification verification;

  RollbackStep(StepContext ctx) {
    this.ctx = ctx;
    this.verification = new Verification(ctx);
  }

  @Override
  public Outcome run(Deployment d) {
    EnvironmentSpec env = ctx.environment(d);
    if (d.phase() == Phase.FAILED || d.phase() == Phase.ERRORED) {
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
                  ? "rolling back: nothing served before"
                  : "rolling back to revision " + d.previousRevision()));
    }
    if (d.previousRevision() == null && d.abortRequested()) {
      // A person stopped it, the release did not fail: ABORTED, and the digest stays deployable.
      return Outcome.next(
          ctx.save(
              d.toBuilder().phase(Phase.ABORTED).active(false).build(),
              "aborted by "
                  + d.abortRequest().describe()
                  + ", but nothing served before this deployment, so there is nothing to restore;"
                  + " what it rolled out"
                  + (d.revision() == null ? "" : " (revision " + d.revision() + ")")
                  + " was left in place: remove it by hand"));
    }
    if (d.previousRevision() == null) {
      return Outcome.next(
          ctx.save(
              d.toBuilder().phase(Phase.ROLLBACK_FAILED).active(false).build(),
              "nothing served before this deployment, so there is nothing to restore; revision "
                  + d.revision()
                  + " was left in place: fix or remove it by hand"));
    }
    if (d.restoredAt() == null) {
      try {
        CanaryStep.withdraw(ctx, d, env);
        ctx.retry.platform(
            "restore revision " + d.previousRevision(),
            () -> {
              ctx.platform(env).restore(env.target(), d.previousRevision());
              return null;
            });
      } catch (PlatformException e) {
        return Outcome.next(
            ctx.save(
                d.toBuilder().phase(Phase.ROLLBACK_FAILED).active(false).build(),
                "could not restore revision " + d.previousRevision() + ": " + e.getMessage()));
      }
      return Outcome.next(
          ctx.save(
              d.toBuilder()
                  .restoredAt(ctx.clock.now())
                  .verifyStartedAt(ctx.clock.now())
                  .canary(
                      d.canary() == null || d.canary().share() == 0
                          ? d.canary()
                          : d.canary().stopped())
                  .build(),
              "revision " + d.previousRevision() + " serves again; verifying it"));
    }
    Verdict verdict = verification.check(d, env, d.previousRevision());
    return switch (verdict.kind()) {
      case HEALTHY -> {
        try {
          ctx.platform(env).retire(env.target(), d.previousRevision());
        } catch (PlatformException e) {
          // The failed revision keeps running but serves nothing; the outcome stands.
        }
        // An abort ends ABORTED: a person stopped it, the release did not fail here.
        Phase outcome = d.abortRequested() ? Phase.ABORTED : Phase.ROLLED_BACK;
        yield Outcome.next(
            ctx.save(
                verdict.deployment().toBuilder().phase(outcome).active(false).build(),
                (d.abortRequested() ? "aborted by " + d.abortRequest().describe() + ": " : "")
                    + "revision "
                    + d.previousRevision()
                    + " restored and healthy: "
                    + verdict.detail()));
      }
      case UNHEALTHY ->
          Outcome.next(
              ctx.save(
                  verdict.deployment().toBuilder()
                      .phase(Phase.ROLLBACK_FAILED)
                      .active(false)
                      .build(),
                  "restored revision "
                      + d.previousRevision()
                      + " is not healthy: "
                      + verdict.detail()));
      default -> Outcome.waiting(verdict.deployment(), env.health().interval());
    };
  }
}
