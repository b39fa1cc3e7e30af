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
