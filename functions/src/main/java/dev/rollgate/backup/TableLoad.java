package dev.rollgate.backup;

import dev.rollgate.backup.BackupManifestFile.TableEntry;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.BackupStore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.postgresql.PGConnection;

/**
 * Loads one table's file into a restored database with COPY, checking on the way that the file is
 * the one the backup wrote (sha256) and holds the rows it counted.
 */
final class TableLoad {

  private static final int BUFFER = 1 << 16;

  private TableLoad() {}

  /** Returns the rows loaded. */
  static long load(Connection c, TableEntry t, BackupStore store, String key, boolean gzip)
      throws BackupException, SQLException {
    String where = "table %s: file %s".formatted(t.display(), t.file());
    MessageDigest sha = TableDump.sha256();
    long rows;
    try (InputStream raw = store.get(key);
        DigestInputStream digested =
            new DigestInputStream(new BufferedInputStream(raw, BUFFER), sha)) {
      InputStream data = gzip ? new GZIPInputStream(digested, BUFFER) : digested;
      try {
        rows =
            c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + t.sql() + " FROM STDIN", data, BUFFER);
      } catch (SQLException e) {
        // A damaged file often shows as bad COPY data first; the checksum says which it is.
        if (!intact(store, key, t)) {
          throw corrupted(where);
        }
        throw new BackupException(
            "%s did not load: %s".formatted(where, PgSession.message(e, null)));
      }
      digested.transferTo(OutputStream.nullOutputStream());
    } catch (NoSuchFileException e) {
      throw new BackupException(where + " is missing from the backup");
    } catch (IOException e) {
      if (!intact(store, key, t)) {
        throw corrupted(where);
      }
      throw new BackupException("%s could not be read: %s".formatted(where, e.getMessage()));
    }
    if (!HexFormat.of().formatHex(sha.digest()).equals(t.sha256())) {
      throw corrupted(where);
    }
    if (rows != t.rows()) {
      throw new BackupException(
          "%s loaded %d rows, the manifest says %d".formatted(where, rows, t.rows()));
    }
    return rows;
  }

  private static Corrupted corrupted(String where) {
    return new Corrupted(
        where + " is corrupted: its sha256 differs from the manifest's (altered or damaged)");
  }

  /** The file is not the one the manifest records: damaged, altered, or another backup's. */
  static final class Corrupted extends BackupException {
    private static final long serialVersionUID = 1L;

    Corrupted(String message) {
      super(message);
    }
  }

  private static boolean intact(BackupStore store, String key, TableEntry t) {
    MessageDigest sha = TableDump.sha256();
    try (InputStream in = store.get(key)) {
      byte[] buffer = new byte[BUFFER];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha.update(buffer, 0, n);
      }
    } catch (IOException e) {
      return false;
    }
    return HexFormat.of().formatHex(sha.digest()).equals(t.sha256());
  }
}
