package dev.rollgate.ledger;

import static dev.rollgate.testing.Deployments.T0;
import static dev.rollgate.testing.Deployments.aDeployment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.contract.LedgerContract;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
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
