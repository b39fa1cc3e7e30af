package dev.rollgate.core.backup;

import dev.rollgate.core.manifest.AppSpec;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.Notifier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Tells people about failed backups, failed verifications and missed RPOs. */
final class BackupAlerts {

  private static final Logger LOG = Logger.getLogger("rollgate.backup");

  private final Notifier notifier;

  BackupAlerts(Notifier notifier, Clock clock) {
    this.notifier = notifier;
  }

  void backedUp(AppSpec app, String environment, boolean verified, String message) {
    try {
      notifier.backedUp(app.name(), environment, verified, message);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "notifier failed for backup outcome of " + app.name(), e);
    }
  }

  void alert(AppSpec app, String environment, String subject, String message) {
    LOG.warning(() -> app.name() + "/" + environment + ": " + message);
    try {
      notifier.alert(app.name(), environment, subject, message);
    } catch (RuntimeException e) {
      // The catalog already holds the outcome; a broken notifier must not hide it.
      LOG.log(Level.WARNING, "notifier failed for backup alert of " + app.name(), e);
    }
  }
}
