package dev.rollgate.core.backup;

import dev.rollgate.core.model.BackupRecord;
import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.port.BackupCatalog;
import java.util.List;
import java.util.Optional;

/**
 * Names what happened when the manifest stored for a backup is not the one recorded when it was
 * taken: another backup's manifest (the two were swapped, or one was copied over the other), or an
 * edit.
 */
final class ManifestMixUp {

  private static final int SEARCHED = 1000;

  private ManifestMixUp() {}

  /**
   * @param found what the store holds under {@code backup}'s name
   * @param stored everything the store holds for the environment
   */
  static String reason(
      BackupCatalog catalog, BackupRecord backup, Snapshot found, List<Snapshot> stored) {
    Optional<BackupRecord> other =
        catalog.backups(backup.app(), backup.environment(), SEARCHED).stream()
            .filter(b -> !b.id().equals(backup.id()))
            .filter(b -> found.fingerprint().equals(b.fingerprint()))
            .findFirst();
    if (other.isEmpty()) {
      if (!found.takenAt().equals(backup.takenAt())) {
        return ("the manifest in the store's directory of backup %s was written for a backup taken"
                + " at %s, not at %s as recorded: another backup's files were copied over it;"
                + " put its own files back from a copy of the store, or take a new backup")
            .formatted(backup.id(), found.takenAt(), backup.takenAt());
      }
      return ("the manifest of backup %s changed since it was written (sha256 %s, recorded %s):"
              + " it was altered or replaced")
          .formatted(backup.id(), found.fingerprint(), backup.fingerprint());
    }
    BackupRecord o = other.get();
    String holds =
        "the store's directory of backup %s holds backup %s (its manifest names %s, taken at %s)"
            .formatted(backup.id(), o.id(), o.id(), o.takenAt());
    Optional<Snapshot> own =
        stored.stream()
            .filter(s -> !s.id().equals(backup.id()))
            .filter(s -> backup.fingerprint().equals(s.fingerprint()))
            .findFirst();
    if (own.isPresent()) {
      return ("%s, and backup %s's own manifest is in the directory of %s: the two directories were"
              + " swapped; give each back its own name, then verify again")
          .formatted(holds, backup.id(), own.get().id());
    }
    return ("%s: %s backup was copied over it, and backup %s's own files are gone; put them back"
            + " from a copy of the store, or take a new backup")
        .formatted(
            holds, o.takenAt().isBefore(backup.takenAt()) ? "an older" : "a newer", backup.id());
  }
}
