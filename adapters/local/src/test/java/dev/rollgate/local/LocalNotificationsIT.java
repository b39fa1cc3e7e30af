package dev.rollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.port.Clock;
import dev.rollgate.events.auth.Provider;
import dev.rollgate.events.auth.SenderVerifier;
import dev.rollgate.local.notify.BlockKitText;
import dev.rollgate.local.notify.LocalReceiver;
import dev.rollgate.local.notify.LocalReceiver.Message;
import dev.rollgate.local.platform.ProcessPlatform;
import dev.rollgate.notify.PayloadSchemas;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications end to end on the local host: a manifest routing every event to Slack, Discord,
 * Teams and a signed webhook, all pointed at a {@link LocalReceiver}; one real deployment succeeds
 * and one fails and is rolled back; each service receives the five messages in its own documented
 * format, saying what, where, which version, how long and why, with the status page's link, the
 * webhook's signature verifying with rollgate's own verifier and no secret in any body.
 */
class LocalNotificationsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path DEMO = Path.of("demo").toAbsolutePath();
  private static final String HMAC_SECRET = "hmac-notify-s3cret-9f2c";
  // The credential Slack, Discord and Teams carry in a webhook URL's path.
  private static final String URL_TOKEN = "T0001-B0002-urlTOKENxq7";
  private static final List<String> EXPECTED =
      List.of(
          "good deployment.started",
          "good deployment.succeeded",
          "bad deployment.started",
          "bad deployment.failed",
          "bad deployment.rolled-back");

  @TempDir Path dir;
  private LocalHost host;
  private LocalReceiver receiver;

  @AfterEach
  void stop() throws Exception {
    if (host != null) {
      host.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    try (ProcessPlatform platform =
        new ProcessPlatform(dir.resolve("state/platform"), dir, Clock.system())) {
      platform.stopAll();
    }
  }

  @Test
  void notifications_shouldReachEveryServiceInItsFormat_whenOneReleaseSucceedsAndOneRollsBack()
      throws Exception {
    // GIVEN a receiver for the four services, and a manifest routing every event to each of them
    receiver = LocalReceiver.start();
    int port = freePort();
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    StringBuilder channels = new StringBuilder();
    for (String service : LocalReceiver.SERVICES) {
      Files.writeString(
          secrets.resolve(service + ".url"), receiver.url(service, "rollgate/" + URL_TOKEN));
      channels.append(
          "    %s-channel: { type: %s, url: \"file:%s\"%s }\n"
              .formatted(
                  service,
                  service,
                  secrets.resolve(service + ".url"),
                  service.equals("webhook")
                      ? ", secret: \"file:" + secrets.resolve("hmac") + "\""
                      : ""));
    }
    Files.writeString(secrets.resolve("hmac"), HMAC_SECRET);
    release("good", "version=good\nhealthy=true\n");
    release("bad", "version=bad\nhealthy=false\nreason=cannot reach the payment provider\n");
    Path manifest = dir.resolve("rollgate.yaml");
    Files.writeString(manifest, manifest(port, channels.toString()));
    host =
        LocalHost.start(
            LocalHost.Settings.of(manifest.toString(), dir.resolve("state").toString(), port)
                .withTimings(Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(15)));

    // WHEN 'good' is deployed, then 'bad', which fails its health checks and is rolled back
    assertTrue(push("good", 1).contains("SUCCEEDED"));
    assertTrue(push("bad", 2).contains("ROLLED_BACK"));

    // THEN each service received the five messages, in order
    List<Message> all =
        receiver.await(
            got -> LocalReceiver.SERVICES.stream().allMatch(s -> count(got, s) >= 5),
            Duration.ofSeconds(30));
    String failure = ledgerFailure();
    String statusUrl = "http://127.0.0.1:" + port + "/status";
    for (String service : LocalReceiver.SERVICES) {
      List<Message> got = all.stream().filter(m -> m.service().equals(service)).toList();
      List<String> heard = new ArrayList<>();
      for (Message m : got) {
        heard.add(View.of(service, JSON.readTree(m.body())).event());
      }
      assertEquals(EXPECTED, heard, service);
      for (Message m : got) {
        JsonNode body = JSON.readTree(m.body());
        View v = View.of(service, body);
        // ... each in the service's documented shape
        assertEquals(List.of(), problems(service, body), service + ": " + m.text());
        // ... saying what, where and which version (tag and short digest), linking the status page
        String digest =
            v.event().startsWith("good") ? "sha256:111111111111" : "sha256:222222222222";
        String tag = v.event().substring(0, v.event().indexOf(' '));
        assertTrue(v.title().startsWith("shop/staging: deployment "), v.title());
        assertTrue(v.title().contains("(" + tag + " @ " + digest + ")"), v.title());
        assertEquals(statusUrl, v.link(), service + ": " + m.text());
        // ... and no secret: neither the URL's credential nor the signing key
        assertFalse(m.text().contains(URL_TOKEN), service + ": " + m.text());
        assertFalse(m.text().contains(HMAC_SECRET), service + ": " + m.text());
      }
      // ... the outcomes say how long the deployment took
      assertTrue(View.of(service, JSON.readTree(got.get(1).body())).took() != null, service);
      assertTrue(View.of(service, JSON.readTree(got.get(4).body())).took() != null, service);
      // ... and why 'bad' failed, in the ledger's own words, on the failure and the rollback
      assertEquals(failure, View.of(service, JSON.readTree(got.get(3).body())).reason(), service);
      String rolledBack = View.of(service, JSON.readTree(got.get(4).body())).reason();
      assertTrue(rolledBack.startsWith(failure + " — revision notify-shop-1 restored"), rolledBack);
    }
    // AND the webhook's messages verify as rollgate's own "hmac" sender, and not with another key
    for (Message m : receiver.messages("webhook")) {
      var verified =
          new SenderVerifier()
              .verify(Provider.HMAC, HMAC_SECRET, m.body(), m.headers(), Instant.now());
      assertTrue(verified.ok(), verified.reason());
      assertTrue(m.header("Idempotency-Key").startsWith("transition-"), m.headers().toString());
      assertFalse(
          new SenderVerifier()
              .verify(Provider.HMAC, "another-key", m.body(), m.headers(), Instant.now())
              .ok());
    }
    // AND what Slack shows reads as a message
    List<String> slack =
        BlockKitText.lines(JSON.readTree(receiver.messages("slack").get(4).body()));
    assertTrue(
        slack.get(0).startsWith("shop/staging: deployment rolled back (bad @"), slack.toString());
    assertTrue(slack.get(1).startsWith(failure), slack.toString());
    assertTrue(slack.contains("[Status page] " + statusUrl), slack.toString());
  }

  private static long count(List<Message> got, String service) {
    return got.stream().filter(m -> m.service().equals(service)).count();
  }

  private static List<String> problems(String service, JsonNode body) {
    return switch (service) {
      case "slack" -> PayloadSchemas.slack(body);
      case "discord" -> PayloadSchemas.discord(body);
      case "teams" -> PayloadSchemas.adaptiveCard14(body);
      default -> {
        List<String> p = new ArrayList<>();
        for (String field : List.of("id", "event", "app", "environment", "tag", "digest", "at")) {
          if (!body.path(field).isTextual()) {
            p.add("$." + field + ": a string");
          }
        }
        yield p;
      }
    };
  }

  /** What a message says, read from each service's own format. */
  record View(String event, String title, String reason, String took, String link) {

    static View of(String service, JsonNode b) {
      return switch (service) {
        case "slack" -> {
          JsonNode blocks = b.path("blocks");
          String title = blocks.get(0).path("text").path("text").asText();
          String reason = null;
          String took = null;
          String link = null;
          String context = "";
          for (JsonNode block : blocks) {
            switch (block.path("type").asText()) {
              case "section" -> {
                String text = block.path("text").path("text").asText();
                reason = text.equals(title) ? null : unescape(text);
                for (JsonNode f : block.path("fields")) {
                  if (f.path("text").asText().startsWith("*Took*\n")) {
                    took = f.path("text").asText().substring(7);
                  }
                }
              }
              case "actions" -> link = block.path("elements").get(0).path("url").asText();
              case "context" -> context = block.path("elements").get(0).path("text").asText();
              default -> {}
            }
          }
          yield new View(event(title, context.split(" · ")[1]), title, reason, took, link);
        }
        case "discord" -> {
          JsonNode e = b.path("embeds").get(0);
          String key = e.path("footer").path("text").asText().replace("rollgate · ", "");
          yield new View(
              event(e.path("title").asText(), key),
              e.path("title").asText(),
              e.hasNonNull("description") ? e.get("description").asText() : null,
              fact(e.path("fields"), "name", "value"),
              e.path("url").asText());
        }
        case "teams" -> {
          JsonNode card = b.path("attachments").get(0).path("content");
          JsonNode body = card.path("body");
          String title = body.get(0).path("text").asText();
          String reason =
              body.size() > 1 && "TextBlock".equals(body.get(1).path("type").asText())
                  ? body.get(1).path("text").asText()
                  : null;
          JsonNode facts = body.get(body.size() - 1).path("facts");
          String key = "deployment." + title.replaceFirst(".*: deployment ", "");
          key = key.replaceFirst(" \\(.*", "").replace(' ', '-');
          yield new View(
              event(title, key),
              title,
              reason,
              fact(facts, "title", "value"),
              card.path("actions").get(0).path("url").asText());
        }
        default ->
            new View(
                b.path("tag").asText() + " " + b.path("event").asText(),
                b.path("title").asText(),
                b.hasNonNull("reason") ? b.get("reason").asText() : null,
                b.path("tookSeconds").isNumber() ? b.get("tookSeconds").asText() : null,
                b.path("statusUrl").asText());
      };
    }

    /** "good deployment.started", the tag read from the title. */
    private static String event(String title, String key) {
      String tag = title.replaceFirst("^.*\\(", "").replaceFirst(" @.*$", "");
      return tag + " " + key;
    }

    private static String fact(JsonNode facts, String name, String value) {
      for (JsonNode f : facts) {
        if ("Took".equals(f.path(name).asText())) {
          return f.path(value).asText();
        }
      }
      return null;
    }

    private static String unescape(String s) {
      return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
  }

  /** The reason the ledger recorded on the FAILED transition. */
  private String ledgerFailure() throws Exception {
    JsonNode status = JSON.readTree(get("/status?after=0"));
    String reason = null;
    for (JsonNode t : status.path("timeline")) {
      if ("FAILED".equals(t.path("to").asText())) {
        reason = t.path("reason").asText();
      }
    }
    assertTrue(reason != null && reason.contains("unhealthy"), status.toString());
    return reason;
  }

  private String manifest(int port, String channels) {
    String command =
        "{java} %s --port {port} --image {image} --release-dir %s/{tag}"
            .formatted(DEMO.resolve("sample-service/SampleService.java"), dir.resolve("releases"));
    return """
        version: 1
        apps:
          - name: shop
            image: localhost:5000/demo/shop
            environments:
              staging:
                target: { platform: local, service: notify-shop, command: "%s" }
                health: { url: "{url}/health", json: { field: status, equals: UP },
                          interval: 200ms, successThreshold: 2, failureThreshold: 2, deadline: 60s }
        notifications:
          statusPage: http://127.0.0.1:%d
          channels:
        %s  routes:
            - channel: slack-channel
            - channel: discord-channel
            - channel: teams-channel
            - channel: webhook-channel
        """
        .formatted(command, port, channels);
  }

  private void release(String tag, String properties) throws Exception {
    Path r = Files.createDirectories(dir.resolve("releases").resolve(tag));
    Files.writeString(r.resolve("release.properties"), properties);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private String push(String tag, int n) throws Exception {
    String body =
        "{\"repository\":\"localhost:5000/demo/shop\",\"tag\":\"%s\",\"digest\":\"sha256:%s\"}"
            .formatted(tag, String.valueOf(n).repeat(64));
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/imagePushed"))
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, r.statusCode(), r.body());
    return r.body();
  }

  private String get(String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
