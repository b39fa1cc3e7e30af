package dev.rollgate.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.contract.NotificationOutboxContract;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.manifest.NotificationsSpec;
import dev.rollgate.core.port.NotificationOutbox;
import dev.rollgate.notify.OutboxDeliverer;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.WebhookReceiver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdbcNotificationOutboxIT extends NotificationOutboxContract {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  private DataSource dataSource;

  @Override
  protected NotificationOutbox newOutbox() {
    dataSource = freshDatabase();
    JdbcLedger.migrateAndOpen(dataSource);
    return new JdbcNotificationOutbox(dataSource);
  }

  @Test
  void deliver_shouldPostTheEngineTransitionsInOrder_overThePostgresLedger() throws Exception {
    // GIVEN the real engine over the PostgreSQL ledger: v1 deployed, v2 failed and rolled back
    EngineHarness h = new EngineHarness(new JdbcLedger(dataSource));
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    h.unhealthyTags.add("v2");
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      NotificationsSpec spec =
          ManifestLoader.parse(
                  EngineHarness.manifest(1)
                      + "notifications:\n"
                      + "  channels: { hook: { type: webhook, url: env:URL, secret: env:KEY } }\n"
                      + "  routes: [ { channel: hook, apps: [shop] } ]\n",
                  "rollgate.yaml",
                  Path.of("/tmp"))
              .notifications();
      Map<String, String> env = Map.of("URL", receiver.url("/in"), "KEY", "k");
      // WHEN delivered from the database's outbox
      new OutboxDeliverer(
              h.ledger,
              outbox,
              spec,
              new EnvSecretResolver(env::get),
              h.clock,
              Duration.ofSeconds(5))
          .deliver();
      // THEN the receiver heard every event once, in order, and the outbox is empty
      List<String> events = new ArrayList<>();
      for (WebhookReceiver.Request r : receiver.requests()) {
        var n = new ObjectMapper().readTree(r.body());
        events.add(n.get("tag").asText() + " " + n.get("event").asText());
      }
      assertEquals(
          List.of(
              "v1 deployment.started",
              "v1 deployment.succeeded",
              "v2 deployment.started",
              "v2 deployment.failed",
              "v2 deployment.rolled-back"),
          events);
      assertTrue(outbox.undelivered(10).isEmpty());
    }
  }

  @Test
  void migrate_shouldStartTheCursorAfterTheExistingLog_soThatThePastIsNotAnnounced()
      throws Exception {
    // GIVEN a ledger with history before V7: migrate to V6, record, then migrate the rest
    DataSource ds = freshDatabase();
    org.flywaydb.core.Flyway.configure()
        .dataSource(ds)
        .locations(JdbcLedger.LOCATION)
        .table(JdbcLedger.HISTORY_TABLE)
        .target("6")
        .load()
        .migrate();
    // (written as V6's ledger had it: today's code writes columns that later migrations add)
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "insert into deployments (id, app, environment, image_repository, image_tag,"
              + " image_digest, phase, version, pushed_at, created_at, updated_at)"
              + " values ('d1', 'shop', 'staging', 'demo/shop', 'v1', 'sha256:"
              + "a".repeat(64)
              + "', 'SUCCEEDED', 3, now(), now(), now())");
      for (String[] t :
          new String[][] {
            {"PENDING", "MIGRATING"}, {"MIGRATING", "ROLLING_OUT"}, {"ROLLING_OUT", "SUCCEEDED"}
          }) {
        s.execute(
            "insert into transitions (deployment_id, app, environment, from_phase, to_phase, at)"
                + " values ('d1', 'shop', 'staging', '"
                + t[0]
                + "', '"
                + t[1]
                + "', now())");
      }
    }
    // WHEN V7 and the migrations after it are applied
    JdbcLedger.migrateAndOpen(ds);
    // THEN the cursor stands at the last transition
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("select max(seq) from transitions")) {
      rs.next();
      assertEquals(rs.getLong(1), new JdbcNotificationOutbox(ds).cursor());
      assertTrue(rs.getLong(1) > 0);
    }
  }

  private static DataSource freshDatabase() {
    String name = "o_" + DATABASES.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name, e);
    }
    return postgres.getDatabase("postgres", name);
  }
}
