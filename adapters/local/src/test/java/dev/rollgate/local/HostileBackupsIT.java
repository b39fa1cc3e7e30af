package dev.rollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.port.Clock;
import dev.rollgate.local.platform.ProcessPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and unlucky callers of the running local host's backup functions (the demo manifest,
 * embedded PostgreSQL, real revision processes): bodies that are JSON but no object, and a restore
 * test after a release whose migration ran but whose rollout was rolled back.
 */
class HostileBackupsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String STAGING = "{\"app\":\"shop\",\"environment\":\"staging\"}";

  @TempDir static Path home;
  private static LocalHost host;

  @BeforeAll
  static void start() throws Exception {
    host =
        LocalHost.start(
            LocalHost.Settings.of("demo/rollgate.yaml", home.resolve("state").toString(), 0)
                .withTimings(Duration.ofSeconds(2), Duration.ofMinutes(3), Duration.ofSeconds(15)));
  }

  @AfterAll
  static void stop() throws Exception {
    try (ProcessPlatform platform =
        new ProcessPlatform(
            home.resolve("state").resolve("platform"),
            Path.of("demo").toAbsolutePath(),
            Clock.system())) {
      platform.stopAll();
    } finally {
      host.close();
    }
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path))
            .timeout(Duration.ofMinutes(2))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(HttpResponse<String> r) throws Exception {
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  /** Pushes a demo release and returns its staging deployment as the push answered it. */
  private static JsonNode push(String tag, String eventId) throws Exception {
    JsonNode reply =
        JSON.readTree(
            post(
                    "/imagePushed",
                    "{\"repository\":\"localhost:5000/demo/shop\",\"tag\":\"%s\",\"digest\":\"%s\",\"id\":\"%s\"}"
                        .formatted(tag, digest(tag), eventId))
                .body());
    for (JsonNode d : reply.path("deployments")) {
      if (d.path("environment").asText().equals("staging")) {
        return d;
      }
    }
    throw new AssertionError("no staging deployment in " + reply);
  }

  private static String digest(String tag) throws Exception {
    byte[] d =
        MessageDigest.getInstance("SHA-256")
            .digest(("hostile-backups:" + tag).getBytes(StandardCharsets.UTF_8));
    return "sha256:" + HexFormat.of().formatHex(d);
  }

  @Test
  void backupAndVerifyBackup_shouldAnswer400NamingTheRoot_whenTheBodyIsJsonButNoObject()
      throws Exception {
    List<String> answers = new java.util.ArrayList<>();
    for (String path : List.of("/backup", "/verifyBackup")) {
      for (String body : List.of("[1,2,3]", "[]", "\"shop\"", "7", "null", "true")) {
        // WHEN the body is JSON, but not an object
        HttpResponse<String> r = post(path, body);
        answers.add(path + " " + body + " -> " + r.statusCode() + " " + r.body());
      }
    }
    // THEN each is refused, naming $, instead of running whatever backup is due
    assertTrue(
        answers.stream()
            .allMatch(a -> a.contains("-> 400 {\"error\":\"$: expected a JSON object\"")),
        String.join("\n", answers));
  }

  @Test
  void verifyBackup_shouldPass_whenTheMigrationOfARolledBackReleaseRanAndAnOlderOneWasRedeployed()
      throws Exception {
    // GIVEN v1 and v2 deployed, v3 migrated the schema to 3 and was rolled back (health DOWN),
    // and v2 deployed again on the schema v3 left
    assertEquals("SUCCEEDED", push("v1", "hb-1").path("phase").asText());
    assertEquals("SUCCEEDED", push("v2", "hb-2").path("phase").asText());
    JsonNode v3 = push("v3", "hb-3");
    assertEquals("ROLLED_BACK", v3.path("phase").asText(), v3.toString());
    assertEquals("3", v3.path("schemaVersion").asText(), v3.toString());
    JsonNode again = push("v2", "hb-4");
    assertEquals("SUCCEEDED", again.path("phase").asText(), again.toString());
    assertEquals("3", again.path("schemaVersion").asText(), again.toString());

    // WHEN staging is backed up and the backup's restore test runs
    JsonNode backup = ok(post("/backup", STAGING));
    JsonNode verified = ok(post("/verifyBackup", STAGING));

    // THEN the backup is at schema 3, and it restored with v3's migrations: every check held
    assertEquals("3", backup.path("schemaVersion").asText(), backup.toString());
    assertEquals(backup.path("backup").asText(), verified.path("backup").asText());
    assertTrue(verified.path("passed").asBoolean(), verified.toString());
    assertEquals(false, verified.path("rpoExceeded").asBoolean(), verified.toString());
  }
}
