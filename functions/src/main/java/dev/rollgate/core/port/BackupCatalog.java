package dev.rollgate.core.port;

import dev.rollgate.core.model.BackupRecord;
import dev.rollgate.core.model.VerificationRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable record of backups and their restore tests: which backups exist, which were deleted,
 * and how each verification went. "Newest" means the latest {@code takenAt}.
 */
public interface BackupCatalog {

  /** Records a complete backup. Idempotent: recording the same id again changes nothing. */
  void recordBackup(BackupRecord backup);

  /** Marks a backup deleted (retention); it no longer counts as newest or verified. */
  void recordDeleted(String app, String environment, String backupId, Instant at);

  /**
   * Records one verification of a recorded backup.
   *
   * @throws IllegalArgumentException when the backup was never recorded
   */
  void recordVerification(VerificationRecord verification);

  Optional<BackupRecord> find(String app, String environment, String backupId);

  /** The newest backup that is not deleted. */
  Optional<BackupRecord> newestBackup(String app, String environment);

  /** The newest backup, not deleted, whose latest verification passed. */
  Optional<BackupRecord> newestVerifiedBackup(String app, String environment);

  /** The latest verification of any backup of the app and environment. */
  Optional<VerificationRecord> lastVerification(String app, String environment);

  /** Backups that are not deleted, newest first. */
  List<BackupRecord> backups(String app, String environment, int limit);

  /** Verifications of one backup, latest first. */
  List<VerificationRecord> verifications(String app, String environment, String backupId);
}
