package dev.rollgate.backup;

import dev.rollgate.backup.BackupManifestFile.TableEntry;
import dev.rollgate.backup.PgCatalog.TableInfo;
import dev.rollgate.core.port.BackupStore;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Streams one table out with COPY into one file of the store, computing on the way its row count,
 * its order-independent row checksum, and the sha256 of the stored file.
 */
final class TableDump {

  private static final Logger LOG = Logger.getLogger("rollgate.backup");
  private static final int BUFFER = 1 << 16;
  private static final long PROGRESS_EVERY = 256L << 20;

  private TableDump() {}

  static TableEntry dump(
      Connection c, TableInfo table, BackupStore store, String key, String file, int gzipLevel)
      throws SQLException, IOException {
    MessageDigest sha = sha256();
    RowChecksum sum = new RowChecksum();
    CopyOut copy =
        c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + table.sql() + " TO STDOUT");
    long stored;
    try (BackupStore.Upload upload = store.upload(key)) {
      Counting counted = new Counting(new DigestOutputStream(upload.stream(), sha));
      OutputStream compressed = gzipLevel > 0 ? new Gzip(counted, gzipLevel) : counted;
      OutputStream out = new BufferedOutputStream(compressed, BUFFER);
      long nextReport = PROGRESS_EVERY;
      for (byte[] row = copy.readFromCopy(); row != null; row = copy.readFromCopy()) {
        sum.add(row);
        out.write(row);
        if (sum.bytes() >= nextReport) {
          long mb = sum.bytes() >> 20;
          LOG.info(() -> "  %s: %d rows, %d MB so far".formatted(table.display(), sum.rows(), mb));
          nextReport += PROGRESS_EVERY;
        }
      }
      out.flush();
      if (compressed instanceof Gzip gzip) {
        gzip.finish();
      }
      counted.flush();
      stored = counted.count;
      upload.commit();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
    return new TableEntry(
        table.schema(),
        table.name(),
        file,
        sum.rows(),
        sum.value(),
        sum.bytes(),
        stored,
        HexFormat.of().formatHex(sha.digest()));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Gzip at a chosen level: level 1 is several times faster than the default 6 on table data. */
  private static final class Gzip extends GZIPOutputStream {
    Gzip(OutputStream out, int level) throws IOException {
      super(out, BUFFER);
      def.setLevel(level);
    }
  }

  /** Counts the bytes that reach the store. */
  private static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
