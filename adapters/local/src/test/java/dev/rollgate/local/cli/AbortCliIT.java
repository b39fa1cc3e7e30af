package dev.rollgate.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.port.Clock;
import dev.rollgate.local.LocalHost;
import dev.rollgate.local.platform.ProcessPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/rollgate abort} against a real local host over HTTP: a release that never comes up
 * is stopped while its own run verifies it, and the revision that served before serves again.
 */
class AbortCliIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path DEMO = Path.of("demo").toAbsolutePath();
  private static final String TOKEN = "abort-it-token";

  @TempDir Path dir;

  @AfterEach
  void stopRevisions() throws Exception {
    try (ProcessPlatform platform =
        new ProcessPlatform(dir.resolve("state/platform"), dir, Clock.system())) {
      platform.stopAll();
    }
  }

  /** staging runs the demo's sample service; v1 is the demo's, v2 takes ten minutes to start. */
  private Path manifest() throws Exception {
    Path releases = dir.resolve("releases");
    Files.createDirectories(releases.resolve("v1"));
    Files.copy(
        DEMO.resolve("releases/v1/release.properties"), releases.resolve("v1/release.properties"));
    Files.createDirectories(releases.resolve("v2"));
    Files.writeString(
        releases.resolve("v2/release.properties"),
        "version=v2\nhealthy=true\nstartupDelayMs=600000\n");
    Files.writeString(dir.resolve("token"), TOKEN);
    String yaml =
        """
        version: 1
        promotion: { token: "file:%s" }
        apps:
          - name: shop
            image: localhost:5000/demo/shop
            environments:
              staging:
                target:
                  platform: local
                  service: abort-staging
                  command: "{java} %s --port {port} --image {image} --release-dir %s/{tag}"
                health: { url: "{url}/health", interval: 300ms, successThreshold: 2, deadline: 5m }
        """
            .formatted(
                dir.resolve("token"), DEMO.resolve("sample-service/SampleService.java"), releases);
    Path file = dir.resolve("rollgate.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static String push(String tag, int n) {
    return "{\"repository\":\"localhost:5000/demo/shop\",\"tag\":\"%s\",\"digest\":\"sha256:%064x\"}"
        .formatted(tag, n);
  }

  private static HttpRequest post(String url, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofMinutes(3))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static JsonNode staging(String host) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(host + "/status?after=0")).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /** Polls status until the newest staging deployment matches, or fails after {@code within}. */
  private static JsonNode await(String host, Predicate<JsonNode> newest, Duration within)
      throws Exception {
    Instant end = Instant.now().plus(within);
    JsonNode status = null;
    while (Instant.now().isBefore(end)) {
      status = staging(host);
      JsonNode recent = status.path("environments").get(0).path("recent");
      if (recent.size() > 0 && newest.test(recent.get(0))) {
        return status;
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
    fail("timed out; last status: " + status);
    return null;
  }

  @Test
  void abort_shouldRestoreTheServingRevision_whenAReleaseIsStoppedWhileVerifying()
      throws Exception {
    try (LocalHost host =
        LocalHost.start(
            LocalHost.Settings.of(manifest().toString(), dir.resolve("state").toString(), 0)
                .withTimings(
                    Duration.ofSeconds(1), Duration.ofMinutes(3), Duration.ofSeconds(15)))) {
      String url = "http://127.0.0.1:" + host.port();
      // GIVEN v1 serving staging
      HttpResponse<String> v1 =
          HTTP.send(
              post(url + "/imagePushed", push("v1", 1)), HttpResponse.BodyHandlers.ofString());
      assertTrue(v1.body().contains("SUCCEEDED"), v1.body());
      JsonNode serving = staging(url).path("environments").get(0).path("serving");
      String stableUrl = serving.path("url").asText();
      // AND v2 being verified by its own run (it never starts listening)
      CompletableFuture<HttpResponse<String>> v2 =
          HTTP.sendAsync(
              post(url + "/imagePushed", push("v2", 2)), HttpResponse.BodyHandlers.ofString());
      JsonNode status =
          await(url, d -> "VERIFYING".equals(d.path("phase").asText()), Duration.ofSeconds(60));
      String id = status.path("environments").get(0).path("recent").get(0).path("id").asText();

      // WHEN alice aborts it through the CLI
      HostCliAccess.Run aborted =
          HostCliAccess.run(
              "abort",
              "--deployment",
              id,
              "--reason",
              "error rate up",
              "--by",
              "alice",
              "--host",
              url,
              "--token-file",
              dir.resolve("token").toString());

      // THEN the abort is recorded, and the run ends it ABORTED with v1 serving again
      assertEquals(0, aborted.exit(), aborted.out() + aborted.err());
      assertTrue(aborted.out().contains("abort recorded"), aborted.out());
      status = await(url, d -> "ABORTED".equals(d.path("phase").asText()), Duration.ofSeconds(60));
      JsonNode env = status.path("environments").get(0);
      assertEquals("v1", env.path("serving").path("tag").asText(), env.toString());
      assertEquals("alice", env.path("recent").get(0).path("abort").path("by").asText());
      assertEquals(0, env.path("inFlight").size(), env.toString());
      HttpResponse<String> health =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(stableUrl + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), health.body());
      assertTrue(health.body().contains("v1"), health.body());
      // AND v2's own request answers with the outcome its run reached
      assertTrue(v2.get(60, TimeUnit.SECONDS).body().contains("ABORTED"), v2.get().body());
      // AND the timeline names who asked and why, once
      long asked = 0;
      for (JsonNode t : status.path("timeline")) {
        if ("abort:alice".equals(t.path("actor").asText())) {
          asked++;
          assertTrue(t.path("reason").asText().contains("error rate up"), t.toString());
        }
      }
      assertEquals(1, asked, status.path("timeline").toString());
      assertEquals("intact", status.path("ledger").path("chain").asText());

      // WHEN the same deployment is aborted again, and the finished v1 is aborted
      HostCliAccess.Run again =
          HostCliAccess.run(
              "abort",
              "--deployment",
              id,
              "--host",
              url,
              "--token-file",
              dir.resolve("token").toString());
      String v1Id = env.path("serving").path("id").asText();
      HostCliAccess.Run finished =
          HostCliAccess.run(
              "abort",
              "--deployment",
              v1Id,
              "--host",
              url,
              "--token-file",
              dir.resolve("token").toString());
      // THEN the repeat records nothing more (exit 0), and the finished one is refused (exit 1)
      assertEquals(0, again.exit(), again.err());
      assertTrue(again.out().contains("abort was recorded before"), again.out());
      assertEquals(1, finished.exit(), finished.out());
      assertTrue(finished.err().contains("is SUCCEEDED"), finished.err());
    }
  }
}
