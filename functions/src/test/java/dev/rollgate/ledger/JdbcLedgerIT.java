package dev.rollgate.ledger;

import static dev.rollgate.testing.Deployments.T0;
import static dev.rollgate.testing.Deployments.aDeployment;
import static dev.rollgate.testing.Deployments.digest;
import static dev.rollgate.testing.Deployments.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.contract.LedgerContract;
import dev.rollgate.core.model.ChainCheck;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.Ledger;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger contract, and what only the database can promise, on embedded PostgreSQL. */
class JdbcLedgerIT extends LedgerContract {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private DataSource dataSource;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Override
  protected Ledger newLedger() {
    dataSource = freshDatabase();
    return JdbcLedger.migrateAndOpen(dataSource);
  }

  @Test
  void transitions_shouldBeRefusedByDatabase_whenUpdatedDeletedOrTruncated() throws Exception {
    // GIVEN a recorded deployment with its first transition
    recorded(aDeployment());

    // WHEN the log is changed behind the ledger's back / THEN the database refuses
    for (String sql :
        List.of(
            "update transitions set reason = 'nothing happened'",
            "delete from transitions",
            "truncate transitions")) {
      SQLException e = assertThrows(SQLException.class, () -> execute(sql), sql);
      assertTrue(e.getMessage().contains("append-only"), e.getMessage());
    }
    assertEquals(1, ledger.timeline(0, 10).size());
  }

  @Test
  void verifyChain_shouldNameTheTransition_whenASuperuserEditedItBehindTheLedgersBack()
      throws Exception {
    // GIVEN a deployment that failed and was rolled back, its log chained
    Deployment d = recorded(aDeployment().image(image("v1", 4)).phase(Phase.VERIFYING));
    d = ledger.save(d.toBuilder().phase(Phase.FAILED).build(), "engine", "health never good");
    ledger.save(d.toBuilder().phase(Phase.ROLLED_BACK).build(), "engine", "restored");
    long failedSeq = ledger.transitions(d.id()).get(1).seq();
    assertTrue(ledger.verifyChain().isIntact());

    // WHEN a superuser turns the triggers off and rewrites the failure
    execute("alter table transitions disable trigger transitions_no_update_or_delete");
    execute("update transitions set to_phase = 'SUCCEEDED' where seq = " + failedSeq);
    execute("alter table transitions enable trigger transitions_no_update_or_delete");

    // THEN the chain breaks exactly there
    ChainCheck check = ledger.verifyChain();
    assertEquals(failedSeq, check.brokenAt(), check.describe());
    assertTrue(
        check.describe().startsWith("broken at transition " + failedSeq + ": "), check.describe());
  }

  @Test
  void verifyChain_shouldReportTheNextTransition_whenOneWasDeleted() throws Exception {
    // GIVEN three transitions
    Deployment d = recorded(aDeployment().phase(Phase.MIGRATING));
    d = ledger.save(d.toBuilder().phase(Phase.ROLLING_OUT).build(), "engine", "out");
    ledger.save(d.toBuilder().phase(Phase.FAILED).build(), "engine", "no");
    List<Transition> log = ledger.transitions(d.id());

    // WHEN the middle one is deleted by a superuser
    execute("alter table transitions disable trigger transitions_no_update_or_delete");
    execute("delete from transitions where seq = " + log.get(1).seq());
    execute("alter table transitions enable trigger transitions_no_update_or_delete");

    // THEN the one after the gap no longer links
    assertEquals(log.get(2).seq(), ledger.verifyChain().brokenAt());
  }

  @Test
  void isKnownBad_shouldStayTrue_whenTheDeploymentsRowIsEditedDirectly() throws Exception {
    // GIVEN a rolled-back release
    Deployment d = recorded(aDeployment().image(image("v1", 6)).phase(Phase.ROLLING_BACK));
    ledger.save(d.toBuilder().phase(Phase.ROLLED_BACK).build(), "engine", "rolled back");

    // WHEN its row in deployments is rewritten as SUCCEEDED (that table has no triggers)
    execute("update deployments set phase = 'SUCCEEDED' where id = '" + d.id() + "'");

    // THEN its digest is still known bad: that comes from the chained log
    assertTrue(ledger.isKnownBad("shop", "staging", digest(6)));
  }

  @Test
  void migrate_shouldChainTheTransitionsAlreadyThere_whenAnOlderLedgerIsUpgraded()
      throws Exception {
    // GIVEN a ledger at schema version 2, with transitions written before the chain existed
    DataSource old = freshDatabase();
    Flyway.configure()
        .dataSource(old)
        .locations(JdbcLedger.LOCATION)
        .table(JdbcLedger.HISTORY_TABLE)
        .target("2")
        .load()
        .migrate();
    try (Connection c = old.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "insert into deployments (id, app, environment, image_repository, image_digest, phase,"
              + " version, pushed_at, created_at, updated_at) values ('d-1', 'shop', 'staging',"
              + " 'demo/shop', '"
              + digest(3)
              + "', 'FAILED', 1, now(), now(), now())");
      s.execute(
          "insert into transitions (deployment_id, app, environment, from_phase, to_phase, at,"
              + " actor, reason) values ('d-1', 'shop', 'staging', null, 'PENDING', now(), 'a',"
              + " 'recorded'), ('d-1', 'shop', 'staging', 'PENDING', 'FAILED', now(), null, 'ü')");
    }

    // WHEN the ledger opens it
    Ledger upgraded = JdbcLedger.migrateAndOpen(old);

    // THEN the old rows are chained, and new ones chain on
    assertEquals(ChainCheck.intact(2), upgraded.verifyChain());
    assertTrue(upgraded.isKnownBad("shop", "staging", digest(3)));
    upgraded.record("event-9", "registry", T0, List.of(aDeployment().build()));
    assertEquals(ChainCheck.intact(3), upgraded.verifyChain());
  }

  @Test
  void activeIndex_shouldRefuseSecondActiveRow_whenWrittenDirectly() throws Exception {
    // GIVEN one deployment holding the slot and another pending
    recorded(aDeployment().pushedAt(at(0)));
    claim().orElseThrow();
    Deployment other = recorded(aDeployment().pushedAt(at(10)));

    // WHEN the other is made active in SQL / THEN the unique index refuses
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> execute("update deployments set active = true where id = '" + other.id() + "'"));
    assertEquals("23505", e.getSQLState());
  }

  @Test
  void save_shouldNameTheSlot_whenSecondDeploymentBecomesActive() {
    // GIVEN one deployment holding the slot and another pending
    recorded(aDeployment().pushedAt(at(0)));
    claim().orElseThrow();
    Deployment other = recorded(aDeployment().pushedAt(at(10)));

    // WHEN it is saved as active
    LedgerException e =
        assertThrows(
            LedgerException.class,
            () -> ledger.save(other.toBuilder().active(true).build(), "rogue", "why not"));

    // THEN the message says what is wrong and what to use instead
    assertTrue(e.getMessage().contains(other.id()), e.getMessage());
    assertTrue(e.getMessage().contains("shop/staging"), e.getMessage());
    assertTrue(e.getMessage().contains("claimNext"), e.getMessage());
  }

  @Test
  void migrateAndOpen_shouldKeepData_whenOpenedTwice() {
    // GIVEN a ledger with a claimed deployment and a duplicate-protected event
    Deployment d = aDeployment().build();
    ledger.record("event-1", "registry", T0, List.of(d));
    ledger.claimNext("shop", "staging", "r", at(1)).orElseThrow();

    // WHEN the same database is opened again, as every cold start does
    Ledger reopened = JdbcLedger.migrateAndOpen(dataSource);

    // THEN everything is still there and the schema is unchanged
    assertTrue(reopened.find(d.id()).orElseThrow().active());
    assertEquals(Optional.empty(), reopened.record("event-1", "registry", T0, List.of()));
    assertEquals(1, reopened.transitions(d.id()).size());
  }

  @Test
  void migrateAndOpen_shouldShareDatabase_whenAppHasItsOwnFlywayHistory(@TempDir Path dir)
      throws Exception {
    // GIVEN a database that an application migrated with its own Flyway first
    DataSource shared = freshDatabase();
    Files.writeString(
        dir.resolve("V1__orders.sql"), "create table orders (id bigint primary key);");
    Flyway.configure().dataSource(shared).locations("filesystem:" + dir).load().migrate();

    // WHEN the ledger opens the same database
    Ledger shop = JdbcLedger.migrateAndOpen(shared);

    // THEN both work, each with its own history
    Deployment d = aDeployment().build();
    shop.record("event-1", "registry", T0, List.of(d));
    assertEquals(Phase.PENDING, shop.find(d.id()).orElseThrow().phase());
    assertEquals(1, count(shared, "select count(*) from flyway_schema_history"));
    assertTrue(count(shared, "select count(*) from rollgate_schema_history where success") >= 1);
    assertEquals(0, count(shared, "select count(*) from orders"));
  }

  @Test
  void find_shouldThrowLedgerExceptionNamingTheOperation_whenSchemaIsMissing() {
    // GIVEN a ledger on a database nobody migrated
    Ledger unmigrated = new JdbcLedger(freshDatabase());

    // WHEN it is read / THEN the error names the operation and the fix
    LedgerException e = assertThrows(LedgerException.class, () -> unmigrated.find("d-1"));
    assertTrue(e.getMessage().contains("find(d-1)"), e.getMessage());
    assertTrue(e.getMessage().contains("migrateAndOpen"), e.getMessage());
  }

  private static DataSource freshDatabase() {
    String name = "t_" + DATABASES.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name, e);
    }
    return postgres.getDatabase("postgres", name);
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
