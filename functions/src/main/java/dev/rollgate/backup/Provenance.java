package dev.rollgate.backup;

import dev.rollgate.backup.BackupManifestFile.TableEntry;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Whose a backup's file is, when it is not the one its manifest records: a file copied in from
 * another backup of the same environment is named as such, not as corrupted. Only asked once a
 * restore already failed on the file, so reading the other manifests costs nothing in the common
 * case.
 */
final class Provenance {

  private Provenance() {}

  /**
   * The id of another backup of the environment whose manifest records a file with the sha256 that
   * {@code key} has; empty when none does (the file is damaged, not misplaced).
   *
   * @param environmentPrefix {@code app/environment/}
   * @param self the backup {@code key} belongs to by its place in the store
   */
  static Optional<String> owner(
      BackupStore store, String environmentPrefix, String self, String key) {
    String sha;
    try (InputStream in = store.get(key)) {
      MessageDigest digest = TableDump.sha256();
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      sha = HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      return Optional.empty();
    }
    try {
      for (BackupStore.Entry e : store.list(environmentPrefix)) {
        String rest = e.key().substring(environmentPrefix.length());
        if (!rest.equals(self + "/" + BackupManifestFile.NAME)
            && rest.endsWith("/" + BackupManifestFile.NAME)
            && rest.indexOf('/') == rest.lastIndexOf('/')) {
          BackupManifestFile other;
          try (InputStream in = store.get(e.key())) {
            other = BackupManifestFile.parse(in.readAllBytes(), e.key());
          }
          for (TableEntry t : other.tables()) {
            if (sha.equals(t.sha256())) {
              return Optional.of(other.id());
            }
          }
        }
      }
    } catch (IOException | BackupException | RuntimeException e) {
      // Only a better reason was at stake: the caller reports the file as it found it.
    }
    return Optional.empty();
  }

  /** The reason for a file that belongs to backup {@code owner}. */
  static String misplaced(String where, String owner, String self) {
    return ("%s is the file of backup %s, not of %s (its sha256 is the one backup %s's manifest"
            + " records): files of backup %s were copied into the directory of backup %s, whose"
            + " own copy of the table is gone; put its own files back from a copy of the store, or"
            + " take a new backup")
        .formatted(where, owner, self, owner, owner, self);
  }
}
