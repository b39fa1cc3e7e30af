package dev.rollgate.gcp.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.ledger.JdbcLedger;
import dev.rollgate.testing.TestPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the Cloud Functions entry's tests share: rollgate's functions under the Functions
 * Framework's own invoker, in-process, each function its own deployment as on Cloud Functions; the
 * ledger on embedded PostgreSQL; the in-memory platform (the Cloud Run platform has tests of its
 * own); health a local HTTP server; backups a directory; the sample deliveries from
 * events/fixtures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EntryFixture {

  private static final Path FIXTURES = Path.of("../../events/fixtures");
  protected static final ObjectMapper JSON = new ObjectMapper();

  /** The status page's read token (rollgate.yaml status.read-token). */
  protected static final String READ_TOKEN = "r3ad-gcf-status";

  protected static final String IMAGE = "us-west1-docker.pkg.dev/my-project/my-repo/hello-world";
  private static final String[] PROPERTIES = {
    EntryTestExtension.ENABLED,
    "rollgate.manifest",
    "rollgate.ledger-url",
    "rollgate.backup-store",
    "rollgate.gcp.enabled"
  };

  protected final FunctionsFramework functions = new FunctionsFramework();
  private HttpServer health;
  protected JdbcLedger ledger;
  private Path dir;

  @BeforeAll
  void start(@TempDir Path tempDir) throws IOException, SQLException {
    dir = tempDir;
    health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    health.createContext(
        "/health",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    health.start();
    String probe =
        "{ url: \"http://127.0.0.1:"
            + health.getAddress().getPort()
            + "/health\", interval: 50ms, timeout: 1s, successThreshold: 2, failureThreshold: 2,"
            + " deadline: 10s }";
    Files.writeString(dir.resolve("token"), "s3cret");
    Files.writeString(dir.resolve("read-token"), READ_TOKEN);
    Files.createDirectories(dir.resolve("migrations"));
    Files.writeString(
        dir.resolve("migrations/V1__orders.sql"),
        "create table orders (id bigserial primary key, item text not null);");
    DataSource orders = TestPostgres.freshDatabase();
    Files.writeString(
        dir.resolve("orders-db"),
        TestPostgres.jdbcUrl(((PGSimpleDataSource) orders).getDatabaseName()));
    Flyway.configure()
        .dataSource(orders)
        .locations("filesystem:" + dir.resolve("migrations"))
        .load()
        .migrate();
    try (Connection c = orders.getConnection();
        Statement st = c.createStatement()) {
      st.executeUpdate("insert into orders (item) values ('tea'), ('cake'), ('süß')");
    }
    Files.writeString(
        dir.resolve("rollgate.yaml"),
        String.join(
            "\n",
            "version: 1",
            "promotion:",
            "  token: file:" + dir.resolve("token"),
            "status:",
            "  read-token: file:" + dir.resolve("read-token"),
            "apps:",
            "  - name: shop",
            "    image: " + IMAGE,
            "    environments:",
            "      staging:",
            "        deploy: on-push",
            "        target: { platform: memory, service: gcf-shop-staging }",
            "        health: " + probe,
            "      production:",
            "        deploy: on-promotion",
            "        from: staging",
            "        target: { platform: memory, service: gcf-shop-production }",
            "        health: " + probe,
            "  - name: orders", // never pushed here: its staging database is backed up
            "    image: us-west1-docker.pkg.dev/my-project/my-repo/orders",
            "    environments:",
            "      staging:",
            "        deploy: on-push",
            "        target: { platform: memory, service: gcf-orders-staging }",
            "        migrations:",
            "          flyway:",
            "            locations: [\"filesystem:" + dir.resolve("migrations") + "\"]",
            "            database: file:" + dir.resolve("orders-db"),
            "        backup:",
            "          schedule: every 1h",
            "          retention: 3",
            "          rpo: 24h",
            "          verify:",
            "            - { sql: \"select count(*) from orders\", expect: \"= 3\" }",
            ""));
    DataSource db = TestPostgres.freshDatabase();
    ledger = JdbcLedger.migrateAndOpen(db);
    System.setProperty(EntryTestExtension.ENABLED, "true");
    // The Cloud Run platform and Cloud Storage are not what this test is about.
    System.setProperty("rollgate.gcp.enabled", "false");
    System.setProperty("rollgate.manifest", dir.resolve("rollgate.yaml").toString());
    System.setProperty(
        "rollgate.ledger-url", TestPostgres.jdbcUrl(((PGSimpleDataSource) db).getDatabaseName()));
    System.setProperty("rollgate.backup-store", "dir:" + dir.resolve("backups"));
  }

  @AfterAll
  void stop() throws Exception {
    functions.close();
    for (String p : PROPERTIES) {
      System.clearProperty(p);
    }
    health.stop(0);
  }

  /** shop's staging deployments of digests starting with {@code digest}, newest first. */
  protected List<Deployment> deployed(String digest) {
    return ledger.deployments("shop", "staging", 100).stream()
        .filter(d -> d.image().digest() != null && d.image().digest().startsWith(digest))
        .toList();
  }

  /** Eventarc's sample with {@code notification} as its Pub/Sub message's data and its own id. */
  protected static byte[] messagePublished(byte[] notification, String id) throws IOException {
    ObjectNode event =
        (ObjectNode) JSON.readTree(fixture("gcp-pubsub-cloudevent-messagepublished.json"));
    String unique = id + "-" + System.nanoTime();
    event.put("id", unique);
    // Published now: rollgate never deploys an image pushed before the one serving.
    String now = java.time.Instant.now().toString();
    event.put("time", now);
    ObjectNode message = (ObjectNode) event.path("data").path("message");
    message.put("messageId", unique);
    message.put("publishTime", now);
    message.put("data", Base64.getEncoder().encodeToString(notification));
    return JSON.writeValueAsBytes(event);
  }

  /** Artifact Registry's insert-tag sample; with {@code digest}'s hex when not null. */
  protected static byte[] notification(String digest) throws IOException {
    ObjectNode n =
        (ObjectNode) JSON.readTree(fixture("gcp-artifact-registry-notification-insert-tag.json"));
    if (digest != null) {
      n.put("digest", IMAGE + "@" + digest);
    }
    return JSON.writeValueAsBytes(n);
  }

  protected HttpResponse<String> cloudEvent(byte[] structured) throws Exception {
    return functions.send(
        "imagePushed",
        "cloudevent",
        "POST",
        "/",
        structured,
        "Content-Type",
        GcpMessages.CLOUDEVENTS_JSON);
  }

  protected static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(FIXTURES.resolve(name));
  }
}
