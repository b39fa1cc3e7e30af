package dev.rollgate.backup;

import dev.rollgate.backup.BackupManifestFile.SequenceEntry;
import dev.rollgate.backup.BackupManifestFile.TableEntry;
import dev.rollgate.backup.PgCatalog.TableInfo;
import dev.rollgate.backup.PostgresLogicalSnapshotter.Settings;
import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.BackupStore;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.Snapshotter.Request;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Writes the table files of one logical backup: the main connection exports its snapshot, a few
 * workers import it and copy the largest tables first, so that every file shows the same moment.
 * Returns the manifest for the caller to write last.
 */
final class LogicalBackup {

  private static final Logger LOG = Logger.getLogger("rollgate.backup");

  private final BackupStore store;
  private final Settings settings;
  private final Clock clock;

  LogicalBackup(BackupStore store, Settings settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  BackupManifestFile write(Request request, String id, Instant start, String prefix, String label)
      throws BackupException, IOException {
    String url = request.databaseUrl();
    try (Connection main = PgSession.open(url, label)) {
      main.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      main.setAutoCommit(false);
      main.setReadOnly(true);
      String exported = single(main, "select pg_export_snapshot()");
      String server = "PostgreSQL " + single(main, "show server_version");
      String schemaVersion = PgCatalog.schemaVersion(main);
      List<TableInfo> tables = PgCatalog.dependencyOrder(main, PgCatalog.tables(main));
      Map<TableInfo, String> files = new LinkedHashMap<>();
      for (int i = 0; i < tables.size(); i++) {
        TableInfo t = tables.get(i);
        files.put(t, fileName(i, t));
      }
      List<TableInfo> largestFirst = new ArrayList<>(tables);
      largestFirst.sort(Comparator.comparingLong(TableInfo::bytes).reversed());
      LOG.info(
          () -> "%s: %d tables, schema version %s".formatted(label, tables.size(), schemaVersion));
      int[] done = {0};
      Map<TableInfo, TableEntry> entries =
          Parallel.run(
              largestFirst,
              settings.parallelism(),
              () -> worker(url, label, exported),
              (c, t) -> {
                TableEntry e =
                    TableDump.dump(
                        c, t, store, prefix + files.get(t), files.get(t), settings.gzipLevel());
                int n;
                synchronized (done) {
                  n = ++done[0];
                }
                LOG.info(
                    () ->
                        "%s: %s %d rows, %.1f MB, %.1f MB stored (%d/%d)"
                            .formatted(
                                label,
                                t.display(),
                                e.rows(),
                                e.rawBytes() / 1048576.0,
                                e.bytes() / 1048576.0,
                                n,
                                tables.size()));
                return e;
              });
      // Sequences are not transactional: read after the data, they are at least what it used.
      List<SequenceEntry> sequences = new ArrayList<>();
      for (Snapshot.Sequence s : PgCatalog.sequences(main, tables)) {
        int dot = s.name().indexOf('.');
        sequences.add(
            new SequenceEntry(
                s.name().substring(0, dot),
                s.name().substring(dot + 1),
                s.lastValue(),
                s.called()));
      }
      main.commit();
      return new BackupManifestFile(
          BackupManifestFile.FORMAT,
          id,
          request.app(),
          request.environment(),
          start.toString(),
          Duration.between(start, clock.now()).toMillis(),
          server,
          schemaVersion,
          request.schemaLocations(),
          settings.gzipLevel() > 0 ? "gzip" : "none",
          tables.stream().map(entries::get).toList(),
          sequences);
    } catch (SQLException e) {
      throw new BackupException("%s failed: %s".formatted(label, PgSession.message(e, url)), e);
    }
  }

  /** A connection that sees exactly what the main connection's snapshot sees. */
  private static Connection worker(String url, String label, String snapshot) throws Exception {
    Connection c = PgSession.open(url, label);
    try {
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try (Statement s = c.createStatement()) {
        s.execute("set transaction snapshot '" + snapshot.replace("'", "") + "'");
      }
      return c;
    } catch (SQLException e) {
      PgSession.close(c);
      throw new BackupException("%s: %s".formatted(label, PgSession.message(e, url)), e);
    }
  }

  private String fileName(int index, TableInfo t) {
    String safe = (t.schema() + "." + t.name()).replaceAll("[^A-Za-z0-9_.-]", "_");
    return "%03d-%s.copy%s".formatted(index, safe, settings.gzipLevel() > 0 ? ".gz" : "");
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
