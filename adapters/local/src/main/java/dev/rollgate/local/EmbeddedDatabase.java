package dev.rollgate.local;

import dev.rollgate.ledger.JdbcLedger;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The embedded default's PostgreSQL: one server whose data lives under {@code .rollgate/pg}, so
 * that the ledger and the apps' databases survive restarts; holds the ledger database and one
 * database per app and environment.
 *
 * <p>Nobody gets in without a password (kept in {@code pg.passwords} beside the data directory,
 * owner-only). The ledger database belongs to {@code rollgate_owner}, which runs its migrations;
 * rollgate itself connects as {@code rollgate}, which may append to the transition log but not
 * change it, alter a table or touch a trigger ({@code db/rollgate-roles.sql}). Each app database
 * belongs to a role of its own name, which cannot connect to the ledger.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());
  private static final Pattern DB_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** The ledger's database and roles. */
  public static final String LEDGER_DATABASE = "rollgate";

  public static final String LEDGER_OWNER = "rollgate_owner";
  public static final String LEDGER_ROLE = "rollgate";

  /** The grants the ledger's role gets, run as the owner after the migrations. */
  public static final String ROLES_SQL = "db/rollgate-roles.sql";

  private static final Set<String> RESERVED =
      Set.of(LEDGER_DATABASE, LEDGER_OWNER, "postgres", "template0", "template1");

  private final EmbeddedPostgres postgres;
  private final PgPasswords passwords;
  private final Set<String> ready = ConcurrentHashMap.newKeySet();

  private EmbeddedDatabase(EmbeddedPostgres postgres, PgPasswords passwords) {
    this.postgres = postgres;
    this.passwords = passwords;
  }

  /**
   * Starts PostgreSQL on the data directory, taking it over from a server a crash left behind;
   * secures a home that still trusts local connections; readies the ledger's database and roles.
   */
  public static EmbeddedDatabase start(Path dataDir) {
    EmbeddedPostgres pg = null;
    try {
      Files.createDirectories(dataDir);
      stopLeftover(dataDir);
      PgPasswords passwords = PgPasswords.open(passwordFile(dataDir));
      boolean secured = PgAccess.secured(dataDir);
      if (secured && !passwords.has("postgres")) {
        throw new IllegalStateException(
            "the embedded PostgreSQL in "
                + dataDir
                + " asks for passwords, but "
                + passwords.file()
                + " is missing or lacks them: restore that file, or delete "
                + dataDir
                + " to start from scratch");
      }
      String superuser = passwords.password("postgres");
      pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              // zonky's readiness check and getPostgresDatabase() connect with this.
              .setConnectConfig("password", superuser)
              .setDataDirectoryCustomizer(
                  dir -> {
                    if (PgAccess.secured(dir.toPath())) {
                      PgAccess.writeHba(dir.toPath());
                    }
                  })
              .start();
      EmbeddedDatabase db = new EmbeddedDatabase(pg, passwords);
      if (!secured) {
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
          PgAccess.secure(c, dataDir, superuser);
        }
        LOG.info("embedded PostgreSQL: every connection now needs its role's password");
      }
      db.readyLedger();
      return db;
    } catch (IOException | SQLException | RuntimeException e) {
      closeQuietly(pg);
      throw new IllegalStateException(
          "could not start embedded PostgreSQL in "
              + dataDir
              + ": "
              + e.getMessage()
              + " (delete the directory to start from scratch)",
          e);
    }
  }

  /** {@code pg.passwords} beside the data directory {@code pg}. */
  static Path passwordFile(Path dataDir) {
    return dataDir.resolveSibling(dataDir.getFileName() + ".passwords");
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

  /** The ledger's database as rollgate's own role: append and read, nothing more. */
  public DataSource ledgerDataSource() {
    return dataSource(LEDGER_DATABASE, LEDGER_ROLE);
  }

  /** The ledger's roles and database, its schema migrated by its owner, the grants applied. */
  private void readyLedger() throws SQLException, IOException {
    try (Connection su = postgres.getPostgresDatabase().getConnection()) {
      PgAccess.ensureRole(su, LEDGER_OWNER, passwords.password(LEDGER_OWNER), false);
      PgAccess.ensureRole(su, LEDGER_ROLE, passwords.password(LEDGER_ROLE), false);
      boolean reown = PgAccess.ensureDatabase(su, LEDGER_DATABASE, LEDGER_OWNER);
      try (Statement s = su.createStatement()) {
        s.execute("grant connect on database " + LEDGER_DATABASE + " to " + LEDGER_ROLE);
        // Nobody but the roles granted above reaches the maintenance databases either.
        s.execute("revoke connect on database postgres from public");
        s.execute("revoke connect on database template1 from public");
      }
      if (reown) {
        try (Connection inLedger =
            postgres.getDatabase("postgres", LEDGER_DATABASE).getConnection()) {
          PgAccess.reown(inLedger, LEDGER_OWNER);
        }
      }
    }
    DataSource owner = dataSource(LEDGER_DATABASE, LEDGER_OWNER);
    new JdbcLedger(owner).migrate();
    try (Connection c = owner.getConnection();
        Statement s = c.createStatement()) {
      s.execute(rolesSql());
    }
  }

  private static String rolesSql() throws IOException {
    try (InputStream in = JdbcLedger.class.getClassLoader().getResourceAsStream(ROLES_SQL)) {
      if (in == null) {
        throw new IOException(ROLES_SQL + " is not on the classpath (rollgate-functions)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Creates the database and its role when they do not exist (and hands a database an older
   * rollgate created to its role); returns its JDBC URL, with the role's credentials: a secret.
   */
  public String ensureDatabase(String name) {
    if (!DB_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "not a database name (lower-case letters, digits, '_'): '" + name + "'");
    }
    if (RESERVED.contains(name) || name.startsWith("pg_")) {
      throw new IllegalArgumentException(
          "local-postgres:"
              + name
              + ": that name is the embedded server's own (reserved: "
              + String.join(", ", RESERVED.stream().sorted().toList())
              + ", pg_*): choose another database name");
    }
    if (!ready.contains(name)) {
      synchronized (this) {
        try {
          readyAppDatabase(name);
        } catch (SQLException e) {
          throw new IllegalStateException(
              "could not create database " + name + ": " + e.getMessage(), e);
        }
        ready.add(name);
      }
    }
    return jdbcUrl(name);
  }

  /** An app's database belongs to its role, which may create scratch databases for restores. */
  private void readyAppDatabase(String name) throws SQLException {
    boolean reown;
    try (Connection su = postgres.getPostgresDatabase().getConnection()) {
      PgAccess.ensureRole(su, name, passwords.password(name), true);
      reown = PgAccess.ensureDatabase(su, name, name);
    }
    if (reown) {
      try (Connection in = postgres.getDatabase("postgres", name).getConnection()) {
        PgAccess.reown(in, name);
      }
    }
  }

  /** The JDBC URL of an app's database readied by {@link #ensureDatabase}: it holds a password. */
  private String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:"
        + postgres.getPort()
        + "/"
        + database
        + "?user="
        + database
        + "&password="
        + passwords.password(database);
  }

  public int port() {
    return postgres.getPort();
  }

  private DataSource dataSource(String database, String role) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"localhost"});
    ds.setPortNumbers(new int[] {postgres.getPort()});
    ds.setDatabaseName(database);
    ds.setUser(role);
    ds.setPassword(passwords.password(role));
    return ds;
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    if (pg != null) {
      try {
        pg.close();
      } catch (IOException e) {
        LOG.warning("could not stop embedded PostgreSQL after a failed start: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
