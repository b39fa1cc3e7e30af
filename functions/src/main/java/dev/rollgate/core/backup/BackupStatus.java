package dev.rollgate.core.backup;

import dev.rollgate.core.model.BackupRecord;
import dev.rollgate.core.model.VerificationRecord;
import java.time.Duration;

/**
 * Where an app and environment stand: the newest backup, the newest verified backup and its age
 * against the RPO.
 *
 * @param newestBackup the newest backup, or null
 * @param newestVerifiedBackup the newest backup whose latest restore test passed, or null
 * @param newestVerifiedAge its age now, or null
 * @param withinRpo a verified backup exists and is no older than the RPO
 * @param lastVerification the latest restore test of any backup, or null
 */
public record BackupStatus(
    String app,
    String environment,
    BackupRecord newestBackup,
    BackupRecord newestVerifiedBackup,
    Duration newestVerifiedAge,
    Duration rpo,
    boolean withinRpo,
    VerificationRecord lastVerification) {

  /** One line for people. */
  public String summary() {
    String newest = newestBackup == null ? "no backup" : "newest backup " + newestBackup.id();
    String verified =
        newestVerifiedBackup == null
            ? "none verified"
            : "newest verified "
                + newestVerifiedBackup.id()
                + ", "
                + Durations.text(newestVerifiedAge)
                + " old";
    return "%s/%s: %s; %s; RPO %s %s"
        .formatted(
            app,
            environment,
            newest,
            verified,
            Durations.text(rpo),
            withinRpo ? "met" : "EXCEEDED");
  }
}
