package dev.rollgate.core.backup;

import dev.rollgate.core.manifest.AppSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.Notifier;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells people about backups through the deployment {@link Notifier}: the notifier speaks about
 * deployments, so an alert travels as a FAILED pseudo-deployment whose id starts with {@code
 * backup:} and whose detail is the message.
 */
final class BackupAlerts {

  private static final Logger LOG = Logger.getLogger("rollgate.backup");

  private final Notifier notifier;
  private final Clock clock;

  BackupAlerts(Notifier notifier, Clock clock) {
    this.notifier = notifier;
    this.clock = clock;
  }

  void alert(AppSpec app, String environment, String subject, String message) {
    LOG.warning(() -> app.name() + "/" + environment + ": " + message);
    Instant now = clock.now();
    Deployment notice =
        Deployment.builder()
            .id("backup:" + app.name() + "/" + environment + "/" + subject)
            .app(app.name())
            .environment(environment)
            .image(app.image())
            .phase(Phase.FAILED)
            .pushedAt(now)
            .createdAt(now)
            .updatedAt(now)
            .requestedBy("rollgate-backup")
            .detail(message)
            .build();
    try {
      notifier.notify(notice, message);
    } catch (RuntimeException e) {
      // The catalog already holds the outcome; a broken notifier must not hide it.
      LOG.log(Level.WARNING, "notifier failed for backup alert of " + app.name(), e);
    }
  }
}
