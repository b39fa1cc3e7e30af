package dev.rollgate.core.backup;

import dev.rollgate.core.model.BackupRecord;
import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.port.BackupCatalog;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.Snapshotter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Deletes backups beyond the newest {@code retention}, never the newest verified one: what is in
 * the store decides, so that backups the catalog never heard of are pruned too.
 */
final class Retention {

  private static final Logger LOG = Logger.getLogger("rollgate.backup");

  private final Snapshotter snapshotter;
  private final BackupCatalog catalog;
  private final Clock clock;

  Retention(Snapshotter snapshotter, BackupCatalog catalog, Clock clock) {
    this.snapshotter = snapshotter;
    this.catalog = catalog;
    this.clock = clock;
  }

  /**
   * How old the leftovers of a backup that never completed must be before they are removed: far
   * longer than any backup runs, so that none still being written is touched.
   */
  static final Duration LEFTOVER_AGE = Duration.ofDays(2);

  /** Returns the ids it deleted; first removes leftovers of backups that never completed. */
  List<String> prune(String app, String environment, int retention, String justTaken)
      throws BackupException {
    try {
      snapshotter.sweep(app, environment, clock.now().minus(LEFTOVER_AGE));
    } catch (BackupException e) {
      // Leftovers are never listed as backups: removing them can wait for the next run.
      LOG.warning(
          () ->
              "%s/%s: could not remove leftovers of incomplete backups: %s"
                  .formatted(app, environment, e.getMessage()));
    }
    List<Snapshot> stored = snapshotter.list(app, environment);
    Set<String> keep = new HashSet<>();
    keep.add(justTaken);
    catalog.newestVerifiedBackup(app, environment).map(BackupRecord::id).ifPresent(keep::add);
    stored.stream().limit(retention).map(Snapshot::id).forEach(keep::add);
    List<String> deleted = new ArrayList<>();
    for (Snapshot s : stored) {
      if (keep.contains(s.id())) {
        continue;
      }
      snapshotter.delete(s);
      catalog.recordDeleted(app, environment, s.id(), clock.now());
      LOG.info(() -> "%s/%s: retention deleted backup %s".formatted(app, environment, s.id()));
      deleted.add(s.id());
    }
    return deleted;
  }
}
