package dev.rollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.core.port.Clock;
import dev.rollgate.events.auth.SenderVerifier;
import dev.rollgate.local.platform.ProcessPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile client against the running local host, from outside: a push from the far future, a
 * signed webhook replayed under a new delivery id, promotions along edges the manifest does not
 * have, an override that is not JSON true, and a literal secret in the manifest.
 */
@TestMethodOrder(OrderAnnotation.class)
class HostileDeliveriesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String TOKEN = "hostile-promote-token";
  private static final String HOOK_SECRET = "hostile-hook-secret";
  private static final Path DEMO = Path.of("demo").toAbsolutePath();

  @TempDir static Path dir;
  private static LocalHost host;

  @BeforeAll
  static void start() throws Exception {
    Files.writeString(dir.resolve("promote-token"), TOKEN);
    Files.writeString(dir.resolve("github-secret"), HOOK_SECRET);
    host = LocalHost.start(settings(manifest("file:" + dir.resolve("promote-token")), dir));
  }

  @AfterAll
  static void stop() throws Exception {
    if (host != null) {
      host.close();
    }
    try (ProcessPlatform platform =
        new ProcessPlatform(dir.resolve("state/platform"), dir, Clock.system())) {
      platform.stopAll();
    }
  }

  private static LocalHost.Settings settings(Path manifest, Path home) {
    return LocalHost.Settings.of(manifest.toString(), home.resolve("state").toString(), 0)
        .withTimings(Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(15));
  }

  /** staging (on push) and production (from staging), running the demo's sample service. */
  private static Path manifest(String promotionToken) throws Exception {
    String command =
        "{java} %s --port {port} --image {image} --release-dir %s/{tag}"
            .formatted(DEMO.resolve("sample-service/SampleService.java"), DEMO.resolve("releases"));
    String env =
        """
                target: { platform: local, service: hostile-%s, command: "%s" }
                health: { url: "{url}/health", interval: 200ms, successThreshold: 2, deadline: 60s }
        """;
    String yaml =
        """
        version: 1
        promotion: { token: "%s", allowOverride: true }
        webhooks:
          github: { secret: "file:%s" }
        apps:
          - name: shop
            image: localhost:5000/demo/shop
            environments:
              staging:
        %s      production:
                deploy: on-promotion
                from: staging
        %s"""
            .formatted(
                promotionToken,
                dir.resolve("github-secret"),
                env.formatted("staging", command),
                env.formatted("production", command));
    Path file = dir.resolve("rollgate-" + Math.abs(promotionToken.hashCode()) + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static String digest(int n) {
    return "sha256:" + String.format("%064x", n);
  }

  private static String push(String tag, int n, String time) {
    return "{\"repository\":\"localhost:5000/demo/shop\",\"tag\":\"%s\",\"digest\":\"%s\"%s}"
        .formatted(tag, digest(n), time == null ? "" : ",\"time\":\"" + time + "\"");
  }

  private static HttpResponse<String> post(String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path))
            .timeout(Duration.ofMinutes(2))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> promote(String from, String to, int n, String extra)
      throws Exception {
    String body =
        "{\"app\":\"shop\",\"from\":\"%s\",\"to\":\"%s\",\"digest\":\"%s\"%s}"
            .formatted(from, to, digest(n), extra);
    return post("/promote", body, Map.of("Authorization", "Bearer " + TOKEN));
  }

  private static JsonNode deployment(HttpResponse<String> r) throws Exception {
    JsonNode body = JSON.readTree(r.body());
    return body.has("deployment") ? body.get("deployment") : body.get("deployments").get(0);
  }

  @Test
  @Order(1)
  void imagePushed_shouldDeployTheNextPush_whenAPushFromTheFarFutureCameFirst() throws Exception {
    // GIVEN a push whose event time is far ahead of the host's clock
    HttpResponse<String> future =
        post("/imagePushed", push("v1", 1, "2999-01-01T00:00:00Z"), Map.of());
    assertEquals(202, future.statusCode(), future.body());
    assertEquals("SUCCEEDED", deployment(future).get("phase").asText(), future.body());
    // WHEN a normal push follows
    HttpResponse<String> normal = post("/imagePushed", push("v2", 2, null), Map.of());
    // THEN it deploys instead of being SUPERSEDED by the future
    assertEquals(202, normal.statusCode(), normal.body());
    assertEquals("SUCCEEDED", deployment(normal).get("phase").asText(), normal.body());
    assertEquals("v2", deployment(normal).get("tag").asText());
    // AND a time the ledger cannot store is a 400 naming the field, not a 500
    HttpResponse<String> beyond =
        post("/imagePushed", push("v3", 3, "+300000-01-01T00:00:00Z"), Map.of());
    assertEquals(400, beyond.statusCode(), beyond.body());
    assertTrue(beyond.body().contains("$.time"), beyond.body());
  }

  @Test
  @Order(2)
  void promote_shouldAnswer409_whenTheEdgeIsNotInTheManifest() throws Exception {
    // GIVEN v2 SUCCEEDED in staging, then in production
    HttpResponse<String> forward = promote("staging", "production", 2, "");
    assertEquals(202, forward.statusCode(), forward.body());
    assertEquals("SUCCEEDED", deployment(forward).get("phase").asText(), forward.body());
    // WHEN promoted backwards and onto itself
    for (String from : new String[] {"production", "staging"}) {
      HttpResponse<String> r = promote(from, "staging", 2, "");
      // THEN 409, saying nothing is promoted into staging
      assertEquals(409, r.statusCode(), from + ": " + r.body());
      assertTrue(r.body().contains("nothing is promoted into staging"), r.body());
    }
  }

  @Test
  @Order(3)
  void promote_shouldAnswer400_whenOverrideIsNotJsonTrue() throws Exception {
    // GIVEN override written as a string and as a number WHEN promoted THEN 400 naming the field
    for (String override : new String[] {"\"true\"", "1"}) {
      HttpResponse<String> r = promote("staging", "production", 1, ",\"override\":" + override);
      assertEquals(400, r.statusCode(), override + ": " + r.body());
      assertTrue(r.body().contains("$.override: expected true or false"), r.body());
    }
  }

  @Test
  @Order(4)
  void webhook_shouldBeADuplicate_whenASignedDeliveryIsReplayedUnderANewDeliveryId()
      throws Exception {
    // GIVEN GitHub's package event, signed with the endpoint's secret, delivered once
    byte[] body =
        Files.readAllBytes(Path.of("../../events/fixtures/github-package-published-docker.json"));
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    Map<String, String> headers =
        Map.of(
            "X-GitHub-Event", "package",
            "X-Hub-Signature-256", SenderVerifier.githubSignature(HOOK_SECRET, body),
            "Content-Type", "application/json");
    HttpResponse<String> first =
        post("/webhook/github", text, with(headers, "X-GitHub-Delivery", "delivery-1"));
    assertEquals(200, first.statusCode(), first.body());
    assertTrue(first.body().contains("\"duplicate\":false"), first.body());
    // WHEN the same signed body is replayed with a delivery id of the attacker's choosing
    HttpResponse<String> replay =
        post("/webhook/github", text, with(headers, "X-GitHub-Delivery", "delivery-2"));
    // THEN it is recognised as a duplicate
    assertEquals(200, replay.statusCode(), replay.body());
    assertTrue(replay.body().contains("\"duplicate\":true"), replay.body());
  }

  private static Map<String, String> with(Map<String, String> headers, String name, String value) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put(name, value);
    return all;
  }

  @Test
  @Order(5)
  void start_shouldRefuseWithoutEchoingIt_whenTheManifestHoldsALiteralSecret(@TempDir Path other)
      throws Exception {
    // GIVEN a manifest whose promotion.token is a literal value, not a secret reference
    Path manifest = manifest("postgresql://rollgate:LITERAL-PASSWORD@db.internal/ledger");
    // WHEN a host starts on it
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> LocalHost.start(settings(manifest, other)));
    // THEN it refuses, naming where the value is, and no message in the chain repeats it
    Throwable cause = e;
    ManifestException problem = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains("LITERAL-PASSWORD"), t.toString());
      if (t instanceof ManifestException m) {
        problem = m;
      }
    }
    assertTrue(problem != null, "expected a ManifestException, got " + cause);
    assertTrue(
        problem.getMessage().contains("the value at promotion.token is not a secret reference"),
        problem.getMessage());
  }
}
