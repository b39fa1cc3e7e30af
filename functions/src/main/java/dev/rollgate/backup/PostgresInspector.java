package dev.rollgate.backup;

import dev.rollgate.backup.PgCatalog.TableInfo;
import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.DatabaseInspector;
import dev.rollgate.core.port.Snapshotter.RestoredDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Reads a restored PostgreSQL database the way a logical backup read the original: each table's
 * rows through COPY into the same order-independent checksum, the sequences, and the Flyway schema
 * version; runs verification queries read-only with a time limit.
 */
public final class PostgresInspector implements DatabaseInspector {

  private static final Logger LOG = Logger.getLogger("rollgate.backup");

  private final int parallelism;
  private final Duration queryTimeout;

  /** Two connections, verification queries limited to a minute. */
  public PostgresInspector() {
    this(2, Duration.ofMinutes(1));
  }

  public PostgresInspector(int parallelism, Duration queryTimeout) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
    }
    this.parallelism = parallelism;
    this.queryTimeout = queryTimeout;
  }

  @Override
  public State inspect(RestoredDatabase database) throws BackupException {
    String label = "inspection of " + database.name();
    String url = database.jdbcUrl();
    try (Connection c = PgSession.open(url, label)) {
      String version = PgCatalog.schemaVersion(c);
      List<TableInfo> tables = PgCatalog.tables(c);
      Map<TableInfo, Snapshot.Table> checked =
          Parallel.run(
              tables, parallelism, () -> PgSession.open(url, label), PostgresInspector::table);
      LOG.info(() -> "%s: %d tables read".formatted(label, tables.size()));
      return new State(
          version, tables.stream().map(checked::get).toList(), PgCatalog.sequences(c, tables));
    } catch (SQLException e) {
      throw new BackupException("%s failed: %s".formatted(label, PgSession.message(e, url)), e);
    }
  }

  private static Snapshot.Table table(Connection c, TableInfo t) throws SQLException {
    RowChecksum sum = new RowChecksum();
    CopyOut copy =
        c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + t.sql() + " TO STDOUT");
    try {
      for (byte[] row = copy.readFromCopy(); row != null; row = copy.readFromCopy()) {
        sum.add(row);
      }
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
    return new Snapshot.Table(t.display(), sum.rows(), sum.value(), sum.bytes());
  }

  @Override
  public String query(RestoredDatabase database, String sql) throws BackupException {
    String url = database.jdbcUrl();
    try (Connection c = PgSession.open(url, "verification query on " + database.name())) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try (Statement s = c.createStatement()) {
        s.execute("set local statement_timeout = " + queryTimeout.toMillis());
        try (ResultSet rs = s.executeQuery(sql)) {
          if (!rs.next()) {
            throw new BackupException("returned no row");
          }
          return rs.getString(1);
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new BackupException(PgSession.message(e, url), e);
    }
  }
}
