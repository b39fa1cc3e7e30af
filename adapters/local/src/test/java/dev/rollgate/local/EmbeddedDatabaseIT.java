package dev.rollgate.local;

import static dev.rollgate.testing.Deployments.aDeployment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.model.ChainCheck;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.ledger.JdbcLedger;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who gets into the embedded server, as whom, and what each role may do to the ledger. */
class EmbeddedDatabaseIT {

  private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

  @TempDir static Path home;
  private static EmbeddedDatabase db;

  @BeforeAll
  static void start() {
    db = EmbeddedDatabase.start(home.resolve("pg"));
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @Test
  void start_shouldRefuseEveryConnection_whenItCarriesNoOrAWrongPassword() throws Exception {
    // GIVEN the running server / WHEN roles connect over its port without their password
    for (String user : List.of("postgres", "rollgate", "rollgate_owner")) {
      SQLException e =
          assertThrows(
              SQLException.class,
              () -> DriverManager.getConnection(url("rollgate", user, null)).close(),
              user);
      // THEN the server asks for one, and a wrong one is refused
      assertEquals("08004", e.getSQLState(), e.getMessage());
      SQLException wrong =
          assertThrows(
              SQLException.class,
              () -> DriverManager.getConnection(url("rollgate", user, "guess")).close(),
              user);
      assertEquals("28P01", wrong.getSQLState(), wrong.getMessage());
    }
    // AND no line of pg_hba.conf trusts anyone, over TCP or the local socket
    String hba = Files.readString(home.resolve("pg/pg_hba.conf"));
    assertFalse(hba.lines().anyMatch(l -> !l.startsWith("#") && l.contains("trust")), hba);
  }

  @Test
  void start_shouldKeepThePasswordsOwnerOnly_whenItCreatesThem() throws Exception {
    Path file = home.resolve("pg.passwords");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void ledgerRole_shouldOnlyAppend_whenItTriesToChangeTheLog() throws Exception {
    // GIVEN a transition written through rollgate's own role
    JdbcLedger ledger = new JdbcLedger(db.ledgerDataSource());
    Deployment d = aDeployment().build();
    ledger.record("event-" + d.id(), "test", T0, List.of(d));
    ledger.save(
        ledger.find(d.id()).orElseThrow().toBuilder().phase(Phase.FAILED).build(), "e", "no");

    // WHEN that role tries to rewrite, remove, disable or alter / THEN it lacks the privilege
    for (String sql :
        List.of(
            "update transitions set to_phase = 'SUCCEEDED'",
            "delete from transitions",
            "truncate transitions",
            "alter table transitions disable trigger transitions_no_update_or_delete",
            "alter table transitions disable trigger all",
            "alter table deployments add column note text",
            "drop trigger transitions_chain on transitions",
            "create table evil (id int)")) {
      SQLException e = assertThrows(SQLException.class, () -> execute(db.ledgerDataSource(), sql));
      assertTrue(
          List.of("42501", "42P17").contains(e.getSQLState()),
          sql + ": " + e.getSQLState() + " " + e.getMessage());
    }
    assertTrue(ledger.isKnownBad("shop", "staging", d.image().digest()));
    assertTrue(ledger.verifyChain().isIntact());
  }

  @Test
  void appDatabase_shouldHaveItsOwnRole_thatCannotReachTheLedger() throws Exception {
    // GIVEN an app database as the secret resolver hands it to a deployment
    String appUrl = db.ensureDatabase("shop_staging");
    try (Connection c = DriverManager.getConnection(appUrl);
        Statement s = c.createStatement()) {
      s.execute("create table orders (id int)");
      try (ResultSet rs =
          s.executeQuery(
              "select current_user, rolsuper from pg_roles" + " where rolname = current_user")) {
        rs.next();
        assertEquals("shop_staging", rs.getString(1));
        assertFalse(rs.getBoolean(2));
      }
    }

    // WHEN its credentials are pointed at the ledger's database (or the maintenance one)
    for (String other : List.of("rollgate", "postgres", "template1")) {
      SQLException e =
          assertThrows(
              SQLException.class,
              () ->
                  DriverManager.getConnection(appUrl.replace("/shop_staging?", "/" + other + "?")),
              other);
      // THEN the server refuses the connection
      assertEquals("42501", e.getSQLState(), other + ": " + e.getMessage());
    }
  }

  @Test
  void ensureDatabase_shouldRefuse_whenTheNameIsTheServersOwn() {
    for (String name : List.of("rollgate", "postgres", "rollgate_owner", "pg_x")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> db.ensureDatabase(name));
      assertTrue(e.getMessage().contains("choose another database name"), e.getMessage());
    }
  }

  @Test
  void start_shouldUpgradeTheHome_whenAnOlderRollgateLeftItTrustingEveryone(@TempDir Path old)
      throws Exception {
    // GIVEN a home as an older rollgate left it: trust, everything owned by the superuser
    Path dataDir = old.resolve("pg");
    Deployment d = aDeployment().build();
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).start()) {
      execute(pg.getPostgresDatabase(), "create database rollgate");
      execute(pg.getPostgresDatabase(), "create database shop_staging");
      // The ledger at schema version 2, before transitions were chained.
      DataSource ledger = pg.getDatabase("postgres", "rollgate");
      Flyway.configure()
          .dataSource(ledger)
          .locations(JdbcLedger.LOCATION)
          .table(JdbcLedger.HISTORY_TABLE)
          .target("2")
          .load()
          .migrate();
      execute(
          ledger,
          "insert into deployments (id, app, environment, image_repository, phase, version,"
              + " pushed_at, created_at, updated_at) values ('"
              + d.id()
              + "', 'shop', 'staging', 'demo/shop', 'PENDING', 1, now(), now(), now());"
              + " insert into transitions (deployment_id, app, environment, to_phase, at)"
              + " values ('"
              + d.id()
              + "', 'shop', 'staging', 'PENDING', now())");
      execute(
          pg.getDatabase("postgres", "shop_staging"),
          "create table orders (id serial primary key); insert into orders default values");
    }

    // WHEN this rollgate starts on it
    try (EmbeddedDatabase upgraded = EmbeddedDatabase.start(dataDir)) {
      // THEN it asks for passwords, the ledger is kept and chained, the app owns its data
      assertThrows(
          SQLException.class,
          () ->
              DriverManager.getConnection(
                      "jdbc:postgresql://localhost:" + upgraded.port() + "/postgres?user=postgres")
                  .close());
      JdbcLedger ledger = new JdbcLedger(upgraded.ledgerDataSource());
      assertEquals(Phase.PENDING, ledger.find(d.id()).orElseThrow().phase());
      assertEquals(ChainCheck.intact(1), ledger.verifyChain());
      assertThrows(
          SQLException.class, () -> execute(upgraded.ledgerDataSource(), "truncate transitions"));
      try (Connection c = DriverManager.getConnection(upgraded.ensureDatabase("shop_staging"));
          Statement s = c.createStatement()) {
        s.execute("insert into orders default values");
        try (ResultSet rs = s.executeQuery("select count(*) from orders")) {
          rs.next();
          assertEquals(2, rs.getInt(1));
        }
      }
    }

    // AND it starts again on the upgraded home
    try (EmbeddedDatabase again = EmbeddedDatabase.start(dataDir)) {
      assertTrue(new JdbcLedger(again.ledgerDataSource()).find(d.id()).isPresent());
    }
  }

  private static String url(String database, String user, String password) {
    return "jdbc:postgresql://localhost:"
        + db.port()
        + "/"
        + database
        + "?user="
        + user
        + (password == null ? "" : "&password=" + password);
  }

  private static void execute(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
