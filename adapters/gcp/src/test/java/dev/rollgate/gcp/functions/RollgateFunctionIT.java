package dev.rollgate.gcp.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.ledger.JdbcLedger;
import dev.rollgate.testing.TestPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The sample Google Cloud deliveries (events/fixtures) through {@link RollgateFunction} under the
 * Functions Framework's own invoker, in-process, each function its own deployment as on Cloud
 * Functions: Eventarc's {@code messagePublished} CloudEvents carrying Artifact Registry
 * notifications (structured and binary), Pub/Sub push envelopes, Cloud Scheduler's HTTP calls, and
 * the HTTP functions. The ledger is embedded PostgreSQL; the platform the in-memory one (the Cloud
 * Run platform has tests of its own); health a local HTTP server; backups a directory. What {@code
 * LambdaEntryContract} checks for Lambda, checked here for Cloud Functions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollgateFunctionIT {

  private static final Path FIXTURES = Path.of("../../events/fixtures");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IMAGE = "us-west1-docker.pkg.dev/my-project/my-repo/hello-world";
  private static final String[] PROPERTIES = {
    EntryTestExtension.ENABLED,
    "rollgate.manifest",
    "rollgate.ledger-url",
    "rollgate.backup-store",
    "rollgate.gcp.enabled"
  };

  private final FunctionsFramework functions = new FunctionsFramework();
  private HttpServer health;
  private JdbcLedger ledger;
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

  @Test
  void accept_shouldDeployOnceAndAcknowledgeRefusals_whenEventarcDeliversArtifactRegistryPushes()
      throws Exception {
    // GIVEN Eventarc's messagePublished sample carrying Artifact Registry's insert-tag sample
    // verbatim, whose digest is cut short ("sha256:6ec128e26cd5...")
    byte[] verbatim = messagePublished(notification(null), "ar-verbatim");

    // WHEN the imagePushed CloudEvent function receives it (structured mode)
    HttpResponse<String> refused = cloudEvent(verbatim);

    // THEN it is acknowledged (2xx: Eventarc does not redeliver a refusal) and deploys nothing
    assertEquals(200, refused.statusCode(), refused.body());
    assertTrue(deployed("sha256:6ec128e26cd5").isEmpty());

    // GIVEN the same notification with a full digest
    String digest = "sha256:" + "6ec128e26cd5a1b2".repeat(4);
    byte[] push = messagePublished(notification(digest), "ar-push-1");

    // WHEN it is delivered
    HttpResponse<String> accepted = cloudEvent(push);

    // THEN staging SUCCEEDED with the pushed digest
    assertEquals(200, accepted.statusCode(), accepted.body());
    List<Deployment> staging = deployed(digest);
    assertEquals(1, staging.size(), staging.toString());
    assertEquals(Phase.SUCCEEDED, staging.get(0).phase(), staging.toString());

    // WHEN Eventarc delivers the same event again, in binary mode as it does in production
    JsonNode event = JSON.readTree(push);
    HttpResponse<String> again =
        functions.send(
            "imagePushed",
            "cloudevent",
            "POST",
            "/",
            JSON.writeValueAsBytes(event.path("data")),
            "Content-Type",
            "application/json",
            "ce-specversion",
            "1.0",
            "ce-id",
            event.path("id").asText(),
            "ce-source",
            event.path("source").asText(),
            "ce-type",
            event.path("type").asText(),
            "ce-time",
            event.path("time").asText());

    // THEN it is acknowledged as a duplicate: still one deployment
    assertEquals(200, again.statusCode(), again.body());
    assertEquals(1, deployed(digest).size());
  }

  @Test
  void service_shouldDeployAndAnswer_whenAPubSubPushSubscriptionPostsAnEnvelope() throws Exception {
    // GIVEN the Pub/Sub push sample whose message carries an Artifact Registry notification
    String digest = "sha256:" + "0a1b2c3d4e5f6789".repeat(4);
    ObjectNode envelope = (ObjectNode) JSON.readTree(fixture("gcp-pubsub-push-envelope.json"));
    ObjectNode message = (ObjectNode) envelope.path("message");
    message.put("data", Base64.getEncoder().encodeToString(notification(digest)));
    message.put("messageId", "push-" + System.nanoTime());
    message.put("publishTime", java.time.Instant.now().toString());
    message.remove("message_id");
    message.remove("publish_time");

    // WHEN the imagePushed HTTP function receives it
    HttpResponse<String> pushed =
        functions.send(
            "imagePushed",
            "http",
            "POST",
            "/",
            JSON.writeValueAsBytes(envelope),
            "Content-Type",
            "application/json");

    // THEN 202: a deployment was made and the answer is the HTTP status Pub/Sub acknowledges
    assertEquals(202, pushed.statusCode(), pushed.body());
    assertTrue(pushed.body().contains(digest), pushed.body());

    // WHEN the verbatim sample (its data is a greeting, not an event) is pushed
    HttpResponse<String> greeting =
        functions.send(
            "imagePushed",
            "http",
            "POST",
            "/",
            fixture("gcp-pubsub-push-envelope.json"),
            "Content-Type",
            "application/json");

    // THEN 400 naming where the push went wrong: Pub/Sub would redeliver it, so set a dead-letter
    assertEquals(400, greeting.statusCode(), greeting.body());
    assertTrue(greeting.body().contains("message.data"), greeting.body());
  }

  @Test
  void service_shouldServeTheHttpFunctions_whenCalledAsCloudFunctionsAndCloudSchedulerDo()
      throws Exception {
    // GIVEN something deployed to staging
    String digest = "sha256:" + "fedcba9876543210".repeat(4);
    assertEquals(200, cloudEvent(messagePublished(notification(digest), "ar-http")).statusCode());
    assertEquals(Phase.SUCCEEDED, deployed(digest).get(0).phase(), deployed(digest).toString());

    // WHEN Cloud Scheduler's HTTP target calls reconcile with its job's body and headers
    HttpResponse<String> reconciled =
        functions.send(
            "reconcile",
            "http",
            "POST",
            "/",
            fixture("gcp-scheduler-jobdata.json"),
            "Content-Type",
            "application/json",
            "X-CloudScheduler-JobName",
            "rollgate-reconcile",
            "X-CloudScheduler-ScheduleTime",
            "2026-12-04T01:00:00Z");

    // THEN it answers the (empty) work it did
    assertEquals(200, reconciled.statusCode(), reconciled.body());
    assertTrue(JSON.readTree(reconciled.body()).path("deployments").isArray());

    // WHEN status is asked, THEN 200 with staging serving the digest
    HttpResponse<String> status = functions.send("status", "http", "GET", "/", null);
    assertEquals(200, status.statusCode(), status.body());
    assertEquals("application/json", status.headers().firstValue("content-type").orElse(""));
    assertTrue(status.body().contains(digest), status.body());

    // WHEN promote is called without a token, THEN 401 comes back as the HTTP status
    String promotion =
        "{\"app\":\"shop\",\"from\":\"staging\",\"to\":\"production\",\"digest\":\""
            + digest
            + "\"}";
    HttpResponse<String> unauthenticated =
        functions.send("promote", "http", "POST", "/", promotion.getBytes(StandardCharsets.UTF_8));
    assertEquals(401, unauthenticated.statusCode(), unauthenticated.body());

    // WHEN promote is called with the token, THEN 202 and production SUCCEEDED
    HttpResponse<String> promoted =
        functions.send(
            "promote",
            "http",
            "POST",
            "/",
            promotion.getBytes(StandardCharsets.UTF_8),
            "Authorization",
            "Bearer s3cret");
    assertEquals(202, promoted.statusCode(), promoted.body());
    Deployment production = ledger.deployments("shop", "production", 1).get(0);
    assertEquals(Phase.SUCCEEDED, production.phase(), production.toString());

    // WHEN a webhook names an endpoint the manifest lacks, THEN 404 naming it
    HttpResponse<String> webhook =
        functions.send(
            "webhook", "http", "POST", "/webhook/nope", "{}".getBytes(StandardCharsets.UTF_8));
    assertEquals(404, webhook.statusCode(), webhook.body());
    assertTrue(webhook.body().contains("nope"), webhook.body());
  }

  @Test
  void service_shouldBackUpAndProveTheRestore_whenCloudSchedulerCallsBackupAndVerifyBackup()
      throws Exception {
    // GIVEN Cloud Scheduler's job body
    byte[] job = fixture("gcp-scheduler-jobdata.json");

    // WHEN the backup job calls backup
    HttpResponse<String> backedUp =
        functions.send("backup", "http", "POST", "/", job, "Content-Type", "application/json");

    // THEN orders/staging, due with no backup yet, was backed up at schema 1 with its 3 rows
    assertEquals(200, backedUp.statusCode(), backedUp.body());
    JsonNode run = JSON.readTree(backedUp.body()).path("runs").get(0);
    assertEquals("orders", run.path("app").asText(), backedUp.body());
    assertEquals(3, run.path("rows").asLong(), backedUp.body());

    // WHEN the restore test's job calls verifyBackup
    HttpResponse<String> verified =
        functions.send(
            "verifyBackup", "http", "POST", "/", job, "Content-Type", "application/json");

    // THEN the backup restored into a scratch database and passed its checks
    JsonNode check = JSON.readTree(verified.body()).path("runs").get(0);
    assertEquals(run.path("backup").asText(), check.path("backup").asText(), verified.body());
    assertTrue(check.path("passed").asBoolean(), verified.body());

    // WHEN the backup job fires again within the hour, THEN nothing is due
    HttpResponse<String> again =
        functions.send("backup", "http", "POST", "/", job, "Content-Type", "application/json");
    assertEquals(0, JSON.readTree(again.body()).path("runs").size(), again.body());
  }

  @Test
  void service_shouldServeTheHttpFunctions_whenSpringCloudFunctionsInvokerIsTheEntryPoint()
      throws Exception {
    // GIVEN Spring Cloud Function's GCP FunctionInvoker as the entry point, starting Spring Boot
    // with RollgateCloudFunctions, the function chosen by function.name (FUNCTION_NAME)
    System.setProperty(RollgateCloudFunctions.ENV_MAIN_CLASS, RollgateCloudFunctions.MAIN_CLASS);
    try {
      // WHEN status is asked
      System.setProperty("function.name", "status");
      HttpResponse<String> status =
          functions.send(RollgateCloudFunctions.INVOKER, "status", "http", "GET", "/", null);

      // THEN 200 with the environments
      assertEquals(200, status.statusCode(), status.body());
      assertTrue(status.body().contains("\"environments\""), status.body());

      // WHEN promote is called without a token
      System.setProperty("function.name", "promote");
      HttpResponse<String> refused =
          functions.send(
              RollgateCloudFunctions.INVOKER,
              "promote",
              "http",
              "POST",
              "/",
              "{\"app\":\"shop\"}".getBytes(StandardCharsets.UTF_8),
              "Content-Type",
              "application/json");

      // THEN 401 comes back as the HTTP status
      assertEquals(401, refused.statusCode(), refused.body());
    } finally {
      System.clearProperty(RollgateCloudFunctions.ENV_MAIN_CLASS);
      System.clearProperty("function.name");
    }
  }

  @Test
  void service_shouldAnswer_whenAClientSendsHeadersSpringReserves() throws Exception {
    // GIVEN a request whose headers take names Spring's messages reserve
    // WHEN status handles it
    HttpResponse<String> status =
        functions.send(
            "status",
            "http",
            "GET",
            "/",
            null,
            "id",
            "client-id",
            "timestamp",
            "1",
            "contentType",
            "text/evil",
            "scf-func-name",
            "promote");

    // THEN the function ran as asked and answered
    assertEquals(200, status.statusCode(), status.body());
    assertTrue(status.body().contains("environments"), status.body());
  }

  /** shop's staging deployments of digests starting with {@code digest}, newest first. */
  private List<Deployment> deployed(String digest) {
    return ledger.deployments("shop", "staging", 100).stream()
        .filter(d -> d.image().digest() != null && d.image().digest().startsWith(digest))
        .toList();
  }

  /** Eventarc's sample with {@code notification} as its Pub/Sub message's data and its own id. */
  private static byte[] messagePublished(byte[] notification, String id) throws IOException {
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
  private static byte[] notification(String digest) throws IOException {
    ObjectNode n =
        (ObjectNode) JSON.readTree(fixture("gcp-artifact-registry-notification-insert-tag.json"));
    if (digest != null) {
      n.put("digest", IMAGE + "@" + digest);
    }
    return JSON.writeValueAsBytes(n);
  }

  private HttpResponse<String> cloudEvent(byte[] structured) throws Exception {
    return functions.send(
        "imagePushed",
        "cloudevent",
        "POST",
        "/",
        structured,
        "Content-Type",
        GcpMessages.CLOUDEVENTS_JSON);
  }

  private static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(FIXTURES.resolve(name));
  }

  static List<String> properties() {
    return List.of(PROPERTIES);
  }
}
