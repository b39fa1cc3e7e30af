package dev.rollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.port.Clock;
import dev.rollgate.local.platform.ProcessPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code job:} migration on the embedded default, through the local host: each release's own
 * {@code migrate} script runs as a process before its revision starts (alembic-style); a script
 * that exits non-zero fails the deployment and leaves the service as it was.
 */
class LocalJobMigrationIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path DEMO = Path.of("demo").toAbsolutePath();

  @TempDir static Path dir;
  private static LocalHost host;

  @BeforeAll
  static void start() throws Exception {
    // v1's migration succeeds; v2's prints 25 lines and exits 3.
    Files.createDirectories(dir.resolve("releases/v1"));
    Files.createDirectories(dir.resolve("releases/v2"));
    Files.writeString(
        dir.resolve("releases/v1/migrate"),
        "echo \"upgrading to $1 with $GREETING\" > migrated-v1\necho done\n");
    Files.writeString(
        dir.resolve("releases/v2/migrate"),
        "i=1\nwhile [ $i -le 25 ]; do echo \"v2 line $i\"; i=$((i+1)); done\nexit 3\n");
    String command =
        "{java} -Xmx48m %s --port {port} --image {image} --release-dir %s"
            .formatted(
                DEMO.resolve("sample-service/SampleService.java"), DEMO.resolve("releases/v1"));
    String yaml =
        """
        version: 1
        apps:
          - name: shop
            image: localhost:5000/demo/shop
            environments:
              staging:
                target: { platform: local, service: jobs-staging, command: "%s" }
                migrations:
                  job:
                    command: [sh, "releases/{tag}/migrate"]
                    args: ["{tag}"]
                    env: { GREETING: hello }
                    timeout: 1m
                health: { url: "{url}/health", interval: 200ms, successThreshold: 2, deadline: 60s }
        """
            .formatted(command);
    Path manifest = dir.resolve("rollgate.yaml");
    Files.writeString(manifest, yaml);
    host =
        LocalHost.start(
            LocalHost.Settings.of(manifest.toString(), dir.resolve("state").toString(), 0)
                .withTimings(Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(15)));
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

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path))
            .timeout(Duration.ofMinutes(2))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode push(String tag, int n) throws Exception {
    String body =
        "{\"repository\":\"localhost:5000/demo/shop\",\"tag\":\"%s\",\"digest\":\"sha256:%064x\"}"
            .formatted(tag, n);
    HttpResponse<String> r = send("POST", "/imagePushed", body);
    assertEquals(202, r.statusCode(), r.body());
    return JSON.readTree(r.body()).get("deployments").get(0);
  }

  private static JsonNode serving() throws Exception {
    HttpResponse<String> r = send("GET", "/status", null);
    for (JsonNode env : JSON.readTree(r.body()).findParents("serving")) {
      return env.get("serving");
    }
    throw new AssertionError("no environment in " + r.body());
  }

  @Test
  void imagePushed_shouldRunTheReleasesJobThenFailUntouched_whenTheNextReleasesJobExitsNonZero()
      throws Exception {
    // GIVEN v1, whose migrate script exits 0
    JsonNode v1 = push("v1", 1);
    assertEquals("SUCCEEDED", v1.get("phase").asText(), v1.toString());
    assertEquals("upgrading to v1 with hello", Files.readString(dir.resolve("migrated-v1")).trim());

    // WHEN v2 arrives, whose migrate script prints 25 lines and exits 3
    JsonNode v2 = push("v2", 2);

    // THEN the deployment FAILED before the service was touched
    assertEquals("FAILED", v2.get("phase").asText(), v2.toString());
    assertTrue(v2.get("revision").isNull(), "no revision was started: " + v2);
    String detail = v2.get("detail").asText();
    assertTrue(detail.contains("service untouched"), detail);
    assertTrue(detail.contains("exited with code 3"), detail);
    assertTrue(detail.contains("v2 line 25") && detail.contains("v2 line 6"), detail);
    assertFalse(detail.contains("v2 line 5\n"), "only the last 20 lines: " + detail);
    // ... and v1 still serves
    JsonNode serving = serving();
    assertEquals("v1", serving.get("tag").asText(), serving.toString());
    assertEquals(v1.get("revision").asText(), serving.get("revision").asText());
  }
}
