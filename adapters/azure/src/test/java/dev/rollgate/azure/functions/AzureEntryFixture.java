package dev.rollgate.azure.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpMethod;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.assembly.Settings;
import dev.rollgate.azure.functions.worker.HostHttpRequest;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.ledger.JdbcLedger;
import dev.rollgate.testing.TestPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the Azure Functions entry's tests share: {@link RollgateAzureFunctions} called as Azure's
 * Java worker calls it (hand-written {@code HttpRequestMessage} and {@code ExecutionContext}: the
 * worker itself is not published), over a ledger on embedded PostgreSQL and the in-memory platform
 * (Container Apps has tests of its own); health a local HTTP server; backups a directory; the
 * sample Azure deliveries from events/fixtures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AzureEntryFixture {

  private static final Path FIXTURES = Path.of("../../events/fixtures");
  protected static final ObjectMapper JSON = new ObjectMapper();

  /** The status page's read token (rollgate.yaml status.read-token). */
  protected static final String READ_TOKEN = "r3ad-azfn-status";

  /** The image of the ACR samples: registry host and repository of their push. */
  protected static final String IMAGE = "jolovcr.azurecr.io/samples/nginx";

  private static final String[] PROPERTIES = {
    AzureEntryTestExtension.ENABLED,
    "rollgate.manifest",
    "rollgate.ledger-url",
    "rollgate.backup-store",
    "rollgate.azure.enabled"
  };

  protected RollgateAzureFunctions functions;
  protected AzureEntry entry;
  private HttpServer health;
  protected JdbcLedger ledger;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException, SQLException {
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
            "        target: { platform: memory, service: azfn-shop-staging }",
            "        health: " + probe,
            "      production:",
            "        deploy: on-promotion",
            "        from: staging",
            "        target: { platform: memory, service: azfn-shop-production }",
            "        health: " + probe,
            "  - name: orders", // never pushed here: its staging database is backed up
            "    image: jolovcr.azurecr.io/samples/orders",
            "    environments:",
            "      staging:",
            "        deploy: on-push",
            "        target: { platform: memory, service: azfn-orders-staging }",
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
    System.setProperty(AzureEntryTestExtension.ENABLED, "true");
    // Container Apps and Blob Storage are not what this test is about.
    System.setProperty("rollgate.azure.enabled", "false");
    System.setProperty("rollgate.manifest", dir.resolve("rollgate.yaml").toString());
    System.setProperty(
        "rollgate.ledger-url", TestPostgres.jdbcUrl(((PGSimpleDataSource) db).getDatabaseName()));
    System.setProperty("rollgate.backup-store", "dir:" + dir.resolve("backups"));
    entry = new AzureEntry(Settings.fromProcess());
    functions = new RollgateAzureFunctions(entry);
  }

  @AfterAll
  void stop() {
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

  /**
   * ACR's ImagePushed sample in {@code file}'s schema, with its own id, pushed now (rollgate never
   * deploys an image pushed before the one serving), of {@code digest}.
   */
  protected static ObjectNode push(String file, String id, String digest) throws IOException {
    ObjectNode event = (ObjectNode) JSON.readTree(fixture(file));
    String unique = id + "-" + System.nanoTime();
    String now = Instant.now().toString();
    event.put("id", unique);
    event.put(event.has("eventTime") ? "eventTime" : "time", now);
    ObjectNode data = (ObjectNode) event.path("data");
    data.put("id", unique);
    data.put("timestamp", now);
    ((ObjectNode) data.path("target")).put("digest", digest);
    return event;
  }

  /** An HTTP request to {@code route} under the Function App's {@code /api} prefix. */
  protected static HostHttpRequest request(
      HttpMethod method, String route, byte[] body, String... headers) {
    return new HostHttpRequest(
        method, "https://rollgate-test.azurewebsites.net/api/" + route, body, headers);
  }

  protected static HostHttpRequest.Response response(Object message) {
    return (HostHttpRequest.Response) message;
  }

  protected static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(FIXTURES.resolve(name));
  }

  protected static String text(String name) throws IOException {
    return Files.readString(FIXTURES.resolve(name));
  }
}
