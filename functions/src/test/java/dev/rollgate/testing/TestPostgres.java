package dev.rollgate.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL per test JVM, started on first use and stopped when the JVM exits, with a
 * fresh database for each caller.
 */
public final class TestPostgres {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private TestPostgres() {}

  /**
   * A PostgreSQL of its own whose data outlives the process, in {@code dataDirectory} (the {@code
   * invoke} commands' ledger, kept between invocations so that a repeated event is a duplicate);
   * the caller closes it. Its JDBC URL is {@link #url}.
   */
  public static EmbeddedPostgres kept(java.nio.file.Path dataDirectory) throws IOException {
    java.nio.file.Path data = dataDirectory.toAbsolutePath();
    java.nio.file.Files.createDirectories(data.getParent());
    return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
  }

  /** The JDBC URL of {@code server}'s {@code postgres} database. */
  public static String url(EmbeddedPostgres server) {
    return "jdbc:postgresql://localhost:" + server.getPort() + "/postgres?user=postgres";
  }

  private static synchronized EmbeddedPostgres server() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new IllegalStateException("embedded PostgreSQL did not start: " + e.getMessage(), e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      postgres.close();
                    } catch (IOException e) {
                      // The JVM is going away; the temp directory is cleaned by zonky's own hook.
                    }
                  }));
    }
    return postgres;
  }

  /** A new, empty database. */
  public static DataSource freshDatabase() {
    return server().getDatabase("postgres", createDatabase());
  }

  /** A new, empty database's JDBC URL. */
  public static String freshDatabaseUrl() {
    return jdbcUrl(createDatabase());
  }

  private static String createDatabase() {
    String name = "t" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid();
    try (Connection c = server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return name;
  }

  /** The JDBC URL of a database on the shared server. */
  public static String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + server().getPort() + "/" + database + "?user=postgres";
  }
}
