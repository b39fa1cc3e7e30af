package dev.rollgate.core.backup;

import dev.rollgate.core.model.BackupRecord;
import java.util.List;

/**
 * What one backup run did.
 *
 * @param backup the backup it took and recorded
 * @param pruned ids of the backups retention deleted
 * @param warnings what went wrong after the backup was safe (a failed prune), for the log
 */
public record BackupReport(BackupRecord backup, List<String> pruned, List<String> warnings) {

  public BackupReport {
    pruned = List.copyOf(pruned);
    warnings = List.copyOf(warnings);
  }

  /** One line for people. */
  public String summary() {
    return "backup %s of %s/%s taken in %s: %d tables, %d rows, %s, schema version %s%s"
        .formatted(
            backup.id(),
            backup.app(),
            backup.environment(),
            Durations.text(backup.took()),
            backup.tables(),
            backup.rows(),
            Durations.bytes(backup.bytes()),
            backup.schemaVersion(),
            pruned.isEmpty() ? "" : "; retention deleted " + String.join(", ", pruned));
  }
}
