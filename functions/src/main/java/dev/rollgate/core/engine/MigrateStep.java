package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.MigrationRunner.MigrationException;
import java.time.Duration;

/**
 * MIGRATING to ROLLING_OUT: brings the database to the release's schema and records the version it
 * left. A failed migration fails the deployment before the service is touched.
 */
final class MigrateStep implements Step {

  private final StepContext ctx;

  MigrateStep(StepContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Outcome run(Deployment d) {
    EnvironmentSpec env = ctx.environment(d);
    MigrationRunner runner = ctx.platforms.runner(env);
    MigrationRunner.Context context =
        new MigrationRunner.Context(
            d.app(),
            d.environment(),
            d.id(),
            d.image(),
            ctx.manifest.baseDir(),
            ctx.secrets,
            env.target());
    MigrationRunner.Result result = null;
    MigrationException last = null;
    Duration wait = ctx.settings.retryBackoff();
    for (int attempt = 1; attempt <= ctx.settings.retryAttempts() && result == null; attempt++) {
      try {
        result = runner.migrate(env.migrations(), context);
      } catch (MigrationException e) {
        last = e;
        if (e.failure() || e.configuration()) {
          break;
        }
        if (attempt < ctx.settings.retryAttempts()) {
          ctx.retry.pause(wait);
          wait = wait.multipliedBy(2);
        }
      }
    }
    if (result == null) {
      // The service was not touched: the slot is freed at once, nothing to roll back.
      Phase outcome = last.failure() ? Phase.FAILED : Phase.ERRORED;
      if (last.configuration()) {
        // ERRORED, but the release is not to blame: the digest does not become known-bad.
        return Outcome.next(
            ctx.save(
                d.toBuilder().phase(outcome).active(false).configurationFault(true).build(),
                "configuration error, service untouched, "
                    + d.image().digest()
                    + " is not known-bad for it: "
                    + last.getMessage()));
      }
      return Outcome.next(
          ctx.save(
              d.toBuilder().phase(outcome).active(false).build(),
              "migration failed, service untouched: " + last.getMessage()));
    }
    // A job's tool knows its versions, its platform does not: say so rather than "none".
    String version =
        result.schemaVersion() != null
            ? result.schemaVersion()
            : env.migrations().isJob() ? "not reported by the job" : "none";
    return Outcome.next(
        ctx.save(
            d.toBuilder().phase(Phase.ROLLING_OUT).schemaVersion(result.schemaVersion()).build(),
            "schema at version " + version + " (" + result.applied() + " applied)"));
  }
}
