package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.aws.lambda.RollgateLambda;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.ledger.JdbcLedger;
import dev.rollgate.testing.TestPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Sample Lambda events (events/fixtures) through a Lambda entry, in-process: ECS on moto (behind
 * {@link EcsProxy}, which plays the deployment controller), the ledger on embedded PostgreSQL, the
 * health endpoint a local HTTP server; backups into S3 on moto. Each entry rollgate ships runs it:
 * {@link LambdaHandlerIT} (rollgate's own handler, the default) and {@link LambdaFunctionInvokerIT}
 * (Spring Cloud Function's {@link FunctionInvoker} with {@link RollgateLambda}).
 */
@ExtendWith(MotoServer.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LambdaEntryContract {

  private static final Path FIXTURES = Path.of("../../events/fixtures");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The status page's read token (rollgate.yaml status.read-token). */
  private static final String READ_TOKEN = "r3ad-lambda-status";

  private static final String BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8";
  private static final String[] PROPERTIES = {
    RollgateLambda.ENV_MAIN_CLASS,
    "rollgate.manifest",
    "rollgate.ledger-url",
    "rollgate.aws.endpoint",
    "aws.region",
    "aws.accessKeyId",
    "aws.secretAccessKey"
  };

  private Path dir;
  private EcsProxy proxy;
  private MotoEcs moto;
  private HttpServer health;
  private JdbcLedger ledger;

  /** Handles {@code event} with {@code function} the way Lambda calls this entry; its answer. */
  abstract String invoke(String function, byte[] event) throws IOException;

  /** A word naming the entry, so that each run has services of its own. */
  abstract String entry();

  @BeforeAll
  void start(MotoServer server, @TempDir Path tempDir) throws IOException {
    dir = tempDir;
    proxy = new EcsProxy(server.endpoint()).simulateDeployments(1);
    moto = new MotoEcs(server);
    moto.createService(entry() + "-staging");
    moto.createService(entry() + "-production");
    health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    health.createContext(
        "/health",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    health.start();
    String url = "http://127.0.0.1:" + health.getAddress().getPort();
    Files.writeString(dir.resolve("token"), "s3cret");
    Files.writeString(dir.resolve("read-token"), READ_TOKEN);
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
            "    image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name",
            "    environments:",
            "      staging:",
            "        deploy: on-push",
            "        target: " + target(entry() + "-staging", url),
            "        health: " + HEALTH,
            "      production:",
            "        deploy: on-promotion",
            "        from: staging",
            "        target: " + target(entry() + "-production", url),
            "        health: " + HEALTH,
            "  - name: orders", // never pushed here: its staging database is backed up
            "    image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/orders",
            "    environments:",
            "      staging:",
            "        deploy: on-push",
            "        target: " + target(entry() + "-staging", url),
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
    // The orders database as its release left it: V1 applied, three orders placed.
    Files.createDirectories(dir.resolve("migrations"));
    Files.writeString(
        dir.resolve("migrations/V1__orders.sql"),
        "create table orders (id bigserial primary key, item text not null, cents int not null);");
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
      st.executeUpdate(
          "insert into orders (item, cents) values ('tea', 350), ('cake', 420), ('süß', 99)");
    } catch (SQLException e) {
      throw new IOException(e);
    }
    DataSource db = TestPostgres.freshDatabase();
    ledger = JdbcLedger.migrateAndOpen(db);
    System.setProperty(RollgateLambda.ENV_MAIN_CLASS, RollgateLambda.MAIN_CLASS);
    System.setProperty("rollgate.manifest", dir.resolve("rollgate.yaml").toString());
    System.setProperty(
        "rollgate.ledger-url", TestPostgres.jdbcUrl(((PGSimpleDataSource) db).getDatabaseName()));
    System.setProperty("rollgate.aws.endpoint", proxy.endpoint().toString());
    System.setProperty("aws.region", MotoServer.REGION);
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
  }

  private static final String HEALTH =
      "{ interval: 50ms, timeout: 1s, successThreshold: 2, failureThreshold: 2, deadline: 10s }";

  private static String target(String service, String url) {
    return "{ platform: ecs, cluster: cl-"
        + service
        + ", service: "
        + service
        + ", container: app, region: "
        + MotoServer.REGION
        + ", url: \""
        + url
        + "\" }";
  }

  @AfterAll
  void stop() {
    for (String p : PROPERTIES) {
      System.clearProperty(p);
    }
    health.stop(0);
    moto.close();
    proxy.close();
  }

  @Test
  void handleRequest_shouldDeployAndServeTheHttpFunctions_whenFedLambdaSampleEvents()
      throws IOException {
    // GIVEN the ECR push sample (EventBridge) verbatim: its digest has 60 hex digits, not 64
    byte[] sample = Files.readAllBytes(FIXTURES.resolve("aws-ecr-image-push.json"));

    // WHEN imagePushed handles it, THEN the raw event reached the decoder, which refused it
    JsonNode refusedPush = JSON.readTree(invoke("imagePushed", sample));
    assertEquals("no-digest", refusedPush.path("reason").asText(), refusedPush.toString());
    assertTrue(refusedPush.path("error").asText().contains("aws.ecr"), refusedPush.toString());

    // GIVEN the same sample with a well-formed digest
    String digest = "sha256:" + "7f5b2640fe6fb4f4".repeat(4);
    ObjectNode event = (ObjectNode) JSON.readTree(sample);
    ((ObjectNode) event.path("detail")).put("image-digest", digest);
    byte[] push = JSON.writeValueAsBytes(event);

    // WHEN imagePushed handles it
    JsonNode pushed = JSON.readTree(invoke("imagePushed", push));

    // THEN staging SUCCEEDED with the pushed digest
    assertTrue(pushed.toString().contains(digest), pushed.toString());
    Deployment staging = ledger.deployments("shop", "staging", 1).get(0);
    assertEquals(Phase.SUCCEEDED, staging.phase(), staging.toString());
    assertEquals(digest, staging.image().digest());

    // WHEN the same event is delivered again, THEN nothing new is deployed
    invoke("imagePushed", push);
    assertEquals(1, ledger.deployments("shop", "staging", 10).size());

    // WHEN the schedule's event reaches reconcile, THEN it answers the (empty) work it did
    JsonNode reconciled =
        JSON.readTree(
            invoke(
                "reconcile",
                Files.readAllBytes(FIXTURES.resolve("aws-eventbridge-scheduled-event.json"))));
    assertTrue(reconciled.path("deployments").isArray(), reconciled.toString());

    // WHEN status is asked through a Function URL, THEN 200 with staging serving the digest
    JsonNode status = http("status", "GET", "/status", null, null);
    assertEquals(200, status.path("statusCode").asInt(), status.toString());
    JsonNode envs = JSON.readTree(status.path("body").asText()).path("environments");
    assertEquals(digest, envs.get(0).path("serving").path("digest").asText());

    // WHEN a browser asks for status with the read token, THEN the page says what serves where
    JsonNode page =
        http("status", "GET", "/status", null, "Bearer " + READ_TOKEN, "accept", BROWSER);
    assertEquals(200, page.path("statusCode").asInt(), page.toString());
    assertEquals("text/html; charset=utf-8", header(page, "content-type"), page.toString());
    assertEquals("no-store", header(page, "cache-control"), page.toString());
    String html = page.path("body").asText();
    assertTrue(html.contains("<section class=\"env\" data-env=\"shop/staging\">"), html);
    assertTrue(html.contains("title=\"" + digest + "\""), html);

    // WHEN it is asked without the read token or with a wrong one (the promotion token), THEN 401
    for (String credential : new String[] {null, "Bearer s3cret"}) {
      JsonNode refused = http("status", "GET", "/status", null, credential, "accept", BROWSER);
      assertEquals(401, refused.path("statusCode").asInt(), refused.toString());
      assertEquals("application/json", header(refused, "content-type"), refused.toString());
      assertFalse(refused.path("body").asText().contains(digest), refused.toString());
    }

    // WHEN promote is called without a token, THEN 401 comes back as the HTTP status
    String promotion =
        "{\"app\":\"shop\",\"from\":\"staging\",\"to\":\"production\",\"digest\":\""
            + digest
            + "\"}";
    JsonNode refused = http("promote", "POST", "/promote", promotion, null);
    assertEquals(401, refused.path("statusCode").asInt(), refused.toString());

    // WHEN promote is called with the token, THEN 202 and production SUCCEEDED
    JsonNode promoted = http("promote", "POST", "/promote", promotion, "Bearer s3cret");
    assertEquals(202, promoted.path("statusCode").asInt(), promoted.toString());
    Deployment production = ledger.deployments("shop", "production", 1).get(0);
    assertEquals(Phase.SUCCEEDED, production.phase(), production.toString());

    // WHEN the finished production deployment is aborted with the token, THEN 409 naming its phase
    JsonNode aborted =
        http(
            "abort",
            "POST",
            "/abort",
            "{\"deployment\":\"" + production.id() + "\",\"by\":\"alice\"}",
            "Bearer s3cret");
    assertEquals(409, aborted.path("statusCode").asInt(), aborted.toString());
    assertTrue(aborted.path("body").asText().contains("is SUCCEEDED"), aborted.toString());

    // WHEN a push of another digest is planned through its Function URL without the token: 401
    String next = "sha256:" + "0a1b2c3d4e5f6a7b".repeat(4);
    ObjectNode nextEvent = event.deepCopy();
    nextEvent.put("id", "plan-" + next.substring(7, 19));
    ((ObjectNode) nextEvent.path("detail")).put("image-digest", next);
    String nextPush = JSON.writeValueAsString(nextEvent);
    JsonNode unplanned = http("plan", "POST", "/plan", nextPush, null);
    assertEquals(401, unplanned.path("statusCode").asInt(), unplanned.toString());

    // WHEN it is planned with the token, THEN 200: staging would deploy it, the app container's
    // image from the serving digest to the pushed one, and nothing was recorded
    JsonNode planned = http("plan", "POST", "/plan", nextPush, "Bearer s3cret");
    assertEquals(200, planned.path("statusCode").asInt(), planned.toString());
    JsonNode plan = JSON.readTree(planned.path("body").asText());
    assertTrue(plan.path("wouldDeploy").asBoolean(), plan.toString());
    JsonNode target = plan.path("environments").get(0);
    assertEquals("staging", target.path("environment").asText(), plan.toString());
    assertEquals("deploy", target.path("decision").asText(), plan.toString());
    JsonNode change = target.path("changes").get(0);
    assertEquals("containerDefinitions[app].image", change.path("field").asText(), plan.toString());
    assertTrue(change.path("from").asText().endsWith("@" + digest), plan.toString());
    assertTrue(change.path("to").asText().endsWith("@" + next), plan.toString());
    assertEquals(1, ledger.deployments("shop", "staging", 10).size());

    // WHEN a webhook names an endpoint the manifest lacks, THEN 404 naming it
    JsonNode webhook = http("webhook", "POST", "/webhook/nope", "{}", null);
    assertEquals(404, webhook.path("statusCode").asInt(), webhook.toString());
    assertTrue(webhook.path("body").asText().contains("nope"), webhook.toString());
  }

  @Test
  void handleRequest_shouldBackUpToS3AndProveTheRestore_whenABackupStoreIsSet(MotoServer server)
      throws IOException {
    // GIVEN an S3 bucket on moto as ROLLGATE_BACKUP_STORE
    String bucket = "lambda-backups-" + Long.toString(System.nanoTime(), 36);
    try (S3Client s3 = server.s3()) {
      s3.createBucket(b -> b.bucket(bucket));
      System.setProperty("rollgate.backup-store", "s3://" + bucket + "/rollgate");
      try {
        byte[] schedule =
            Files.readAllBytes(FIXTURES.resolve("aws-eventbridge-scheduled-event.json"));

        // WHEN the backup schedule's event reaches backup
        JsonNode backedUp = JSON.readTree(invoke("backup", schedule));

        // THEN orders/staging, due with no backup yet, was backed up at schema 1 with its 3 rows
        JsonNode run = backedUp.path("runs").get(0);
        assertEquals("orders", run.path("app").asText(), backedUp.toString());
        assertEquals("1", run.path("schemaVersion").asText(), backedUp.toString());
        assertEquals(3, run.path("rows").asLong(), backedUp.toString());
        // ... and its files, manifest.json included, are in the bucket under the prefix
        List<String> keys =
            s3.listObjectsV2(b -> b.bucket(bucket).prefix("rollgate/")).contents().stream()
                .map(o -> o.key())
                .toList();
        assertTrue(keys.stream().anyMatch(k -> k.endsWith("/manifest.json")), keys.toString());
        assertTrue(keys.stream().anyMatch(k -> k.contains("orders")), keys.toString());

        // WHEN the restore test's schedule fires
        JsonNode verified = JSON.readTree(invoke("verifyBackup", schedule));

        // THEN the backup restored into a scratch database and passed its checks (3 orders)
        JsonNode check = verified.path("runs").get(0);
        assertEquals(run.path("backup").asText(), check.path("backup").asText());
        assertTrue(check.path("passed").asBoolean(), verified.toString());
        assertTrue(verified.toString().contains("= 3"), verified.toString());

        // WHEN the same schedule fires again within the hour, THEN nothing is due
        JsonNode again = JSON.readTree(invoke("backup", schedule));
        assertEquals(0, again.path("runs").size(), again.toString());
      } finally {
        System.clearProperty("rollgate.backup-store");
      }
    }
  }

  @Test
  void handleRequest_shouldAnswer_whenAClientSendsHeadersSpringReserves() throws IOException {
    // GIVEN a Function URL request whose client headers take names Spring's messages reserve
    // WHEN status handles it
    JsonNode status =
        http(
            "status",
            "GET",
            "/status",
            null,
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
    assertEquals(200, status.path("statusCode").asInt(), status.toString());
    assertTrue(status.path("body").asText().contains("environments"), status.toString());
  }

  /** A Function URL request made from the sample by changing its method, path, body, headers. */
  private JsonNode http(
      String function,
      String method,
      String path,
      String body,
      String authorization,
      String... extraHeaders)
      throws IOException {
    ObjectNode event =
        (ObjectNode)
            JSON.readTree(
                Files.readAllBytes(FIXTURES.resolve("aws-lambda-function-url-post.json")));
    event.put("rawPath", path);
    event.put("rawQueryString", "");
    event.remove("queryStringParameters");
    ObjectNode headers = event.putObject("headers");
    headers.put("content-type", "application/json");
    if (authorization != null) {
      headers.put("authorization", authorization);
    }
    for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
      headers.put(extraHeaders[i], extraHeaders[i + 1]);
    }
    ((ObjectNode) event.path("requestContext").path("http")).put("method", method);
    ((ObjectNode) event.path("requestContext").path("http")).put("path", path);
    if (body == null) {
      event.remove("body");
    } else {
      event.put("body", body);
    }
    return JSON.readTree(invoke(function, JSON.writeValueAsBytes(event)));
  }

  /** A response header of a Function URL answer, whatever case the entry wrote its name in. */
  private static String header(JsonNode response, String name) {
    var fields = response.path("headers").fields();
    while (fields.hasNext()) {
      var f = fields.next();
      if (f.getKey().equalsIgnoreCase(name)) {
        return f.getValue().asText();
      }
    }
    return null;
  }

  static List<String> properties() {
    return List.of(PROPERTIES);
  }
}
