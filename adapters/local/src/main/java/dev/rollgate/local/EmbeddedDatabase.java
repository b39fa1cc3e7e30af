package dev.rollgate.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The embedded default's PostgreSQL: one server whose data lives under {@code .rollgate/pg}, so
 * that the ledger and the apps' databases survive restarts; holds the ledger database and one
 * database per app and environment.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());
  private static final Pattern DB_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts PostgreSQL on the data directory, taking it over from a server a crash left behind. */
  public static EmbeddedDatabase start(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      stopLeftover(dataDir);
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
      return new EmbeddedDatabase(pg);
    } catch (IOException e) {
      throw new IllegalStateException(
          "could not start embedded PostgreSQL in "
              + dataDir
              + ": "
              + e.getMessage()
              + " (delete the directory to start from scratch)",
          e);
    }
  }

  /** The server a killed host left running still holds the data directory: stop it first. */
  public static void stopLeftover(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    Optional<ProcessHandle> leftover =
        lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
    if (leftover.isPresent() && leftover.get().isAlive()) {
      LOG.warning("stopping PostgreSQL left running by an earlier host (pid " + lines.get(0) + ")");
      ProcessHandle h = leftover.get();
      h.destroy();
      try {
        h.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
    Files.deleteIfExists(pidFile);
  }

  /** The ledger's database. */
  public DataSource ledgerDataSource() {
    ensureDatabase("rollgate");
    return postgres.getDatabase("postgres", "rollgate");
  }

  /** Creates the database when it does not exist; returns its JDBC URL (no password locally). */
  public String ensureDatabase(String name) {
    if (!DB_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "not a database name (lower-case letters, digits, '_'): '" + name + "'");
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement("select 1 from pg_database where datname = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            try (Statement st = c.createStatement()) {
              st.execute("create database " + name);
            } catch (SQLException e) {
              // 42P04: created by a concurrent caller between the check and the create.
              if (!"42P04".equals(e.getSQLState())) {
                throw e;
              }
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not create database " + name + ": " + e.getMessage(), e);
    }
    return jdbcUrl(name);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database + "?user=postgres";
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
