package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.HealthProbe;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.MetricsGate;
import dev.rollgate.core.port.Notifier;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.core.port.ServicePlatform;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What every step needs, and the one way steps write to the ledger. */
final class StepContext {

  private static final Logger LOG = Logger.getLogger(StepContext.class.getName());

  final Manifest manifest;
  final Ledger ledger;
  final Platforms platforms;
  final HealthProbe probe;
  final SecretResolver secrets;
  final Notifier notifier;
  final Clock clock;
  final EngineSettings settings;
  final Retry retry;
  final MetricsGate metrics;

  StepContext(
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

  StepContext(
      Manifest manifest,
      Ledger ledger,
      Platforms platforms,
      HealthProbe probe,
      SecretResolver secrets,
      Notifier notifier,
      Clock clock,
      EngineSettings settings,
      MetricsGate metrics) {
    this.metrics = metrics;
    this.manifest = manifest;
    this.ledger = ledger;
    this.platforms = platforms;
    this.probe = probe;
    this.secrets = secrets;
    this.notifier = notifier;
    this.clock = clock;
    this.settings = settings;
    this.retry = new Retry(clock, settings.retryAttempts(), settings.retryBackoff());
  }

  /** The deployment's environment; it is gone when the manifest changed under a deployment. */
  EnvironmentSpec environment(Deployment d) {
    return manifest
        .environment(d.app(), d.environment())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "rollgate.yaml no longer has apps."
                        + d.app()
                        + ".environments."
                        + d.environment()));
  }

  ServicePlatform platform(EnvironmentSpec env) {
    return platforms.platform(env.target().platform());
  }

  /** Records the next version of a deployment and tells people about outcomes. */
  Deployment save(Deployment next, String reason) {
    Deployment saved =
        ledger.save(
            next.toBuilder().updatedAt(clock.now()).detail(reason).build(),
            settings.owner(),
            reason);
    if (saved.phase().isTerminal() && saved.phase() != Phase.SUPERSEDED) {
      try {
        notifier.notify(saved, reason);
      } catch (RuntimeException e) {
        // A broken notifier must not break a deployment; the ledger already has the outcome.
        LOG.log(Level.WARNING, "notifier failed for deployment " + saved.id(), e);
      }
    }
    deliver();
    return saved;
  }

  /** Lets the notifier send what the ledger's outbox holds; never fails the step. */
  void deliver() {
    try {
      notifier.deliver();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "notifier failed to deliver", e);
    }
  }

  /**
   * Records the next version of a release that moved on to another part without changing phase,
   * with its reason in the timeline (a part restored while the release stays ROLLING_BACK).
   */
  Deployment note(Deployment next, String reason) {
    Deployment saved =
        ledger.saveNoted(
            next.toBuilder().updatedAt(clock.now()).detail(reason).build(),
            settings.owner(),
            reason);
    deliver();
    return saved;
  }

  /** Records a progress write that changes no phase (probe counters). */
  Deployment progress(Deployment next) {
    return ledger.save(next.toBuilder().updatedAt(clock.now()).build(), settings.owner(), null);
  }
}
