package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.DoraTargets;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.Notifier;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Passes every notification on, and after each outcome of an environment with DORA targets, alerts
 * ({@code subject "dora"}) about each target this outcome made the environment miss: the figures
 * over the target window ending just before the outcome are compared with those including it, so
 * that a miss is told once, when it begins, and nothing needs remembering.
 */
final class DoraWatch implements Notifier {

  private static final Logger LOG = Logger.getLogger("rollgate.dora");

  private static final Set<Phase> OUTCOMES =
      EnumSet.of(
          Phase.SUCCEEDED, Phase.FAILED, Phase.ERRORED, Phase.ROLLED_BACK, Phase.ROLLBACK_FAILED);

  /** The ledger keeps microseconds: the smallest step before the outcome's own time. */
  private static final Duration TICK = Duration.ofNanos(1000);

  private final Manifest manifest;
  private final Ledger ledger;
  private final Notifier delegate;

  DoraWatch(Manifest manifest, Ledger ledger, Notifier delegate) {
    this.manifest = manifest;
    this.ledger = ledger;
    this.delegate = delegate;
  }

  @Override
  public void notify(Deployment deployment, String message) {
    try {
      delegate.notify(deployment, message);
    } finally {
      // A notifier that throws (the engine logs it) does not keep the targets from being checked.
      checkTargets(deployment);
    }
  }

  private void checkTargets(Deployment deployment) {
    if (!OUTCOMES.contains(deployment.phase())) {
      return;
    }
    DoraTargets targets =
        manifest
            .environment(deployment.app(), deployment.environment())
            .map(EnvironmentSpec::dora)
            .orElse(null);
    if (targets == null) {
      return;
    }
    try {
      Instant at = deployment.updatedAt();
      Instant since = at.minus(targets.window());
      String app = deployment.app();
      String env = deployment.environment();
      Set<String> before = new HashSet<>();
      targets
          .misses(ledger.dora(app, env, since, at.minus(TICK)))
          .forEach(m -> before.add(m.target()));
      for (DoraTargets.Miss miss : targets.misses(ledger.dora(app, env, since, at))) {
        if (before.add(miss.target())) {
          delegate.alert(
              app,
              env,
              "dora",
              "DORA target missed over the last "
                  + DoraTargets.text(targets.window())
                  + ": "
                  + miss.message());
        }
      }
    } catch (RuntimeException e) {
      // The outcome is recorded; figures that cannot be read now are read by the next status.
      LOG.log(Level.WARNING, "DORA targets not checked for deployment " + deployment.id(), e);
    }
  }

  @Override
  public void alert(String app, String environment, String subject, String message) {
    delegate.alert(app, environment, subject, message);
  }
}
