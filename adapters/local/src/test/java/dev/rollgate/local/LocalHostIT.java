package dev.rollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.ManifestException;
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

/** The local host's HTTP surface: routes, errors as one-line JSON, limits, start-up checks. */
class LocalHostIT {

  @TempDir static Path home;
  private static LocalHost host;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    host =
        LocalHost.start(
            LocalHost.Settings.of("demo/rollgate.yaml", home.resolve("state").toString(), 0)
                .withTimings(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(5)));
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void status_shouldListEveryEnvironment_whenNothingWasDeployed() throws Exception {
    HttpResponse<String> r = send("GET", "/status", null);
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("\"environment\":\"staging\""), r.body());
    assertTrue(r.body().contains("\"environment\":\"production\""), r.body());
    assertTrue(r.body().contains("\"serving\":null"), r.body());
  }

  @Test
  void imagePushed_shouldAnswer400WithTheField_whenTheBodyIsMalformed() throws Exception {
    HttpResponse<String> r = send("POST", "/imagePushed", "{\"repository\": 5}");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().startsWith("{\"error\":\"$.repository: expected a string"), r.body());
    assertTrue(r.body().endsWith("\"reason\":\"malformed\"}"), r.body());
    assertFalse(r.body().contains("Exception"));
  }

  @Test
  void host_shouldAnswer404_whenTheEndpointIsUnknown() throws Exception {
    HttpResponse<String> r = send("DELETE", "/status", null);
    assertEquals(404, r.statusCode());
    assertTrue(r.body().contains("no such endpoint: DELETE /status"), r.body());
  }

  @Test
  void webhook_shouldAnswer404_whenTheEndpointIsNotInTheManifest() throws Exception {
    HttpResponse<String> r = send("POST", "/webhook/github", "{}");
    assertEquals(404, r.statusCode());
    assertTrue(r.body().contains("no webhook endpoint 'github' in rollgate.yaml"), r.body());
  }

  @Test
  void host_shouldAnswer413_whenTheBodyIsOver1MiB() throws Exception {
    HttpResponse<String> r = send("POST", "/imagePushed", "x".repeat((1 << 20) + 1));
    assertEquals(413, r.statusCode());
  }

  @Test
  void promote_shouldAnswer401_withoutAToken() throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/promote",
            "{\"app\":\"shop\",\"from\":\"staging\",\"to\":\"production\",\"digest\":\"x\"}");
    assertEquals(401, r.statusCode());
    assertTrue(r.body().contains("\"reason\":\"unauthenticated\""), r.body());
  }

  @Test
  void start_shouldRefuseWithThePath_whenTheManifestIsInvalid(@TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("rollgate.yaml");
    Files.writeString(
        manifest,
        Files.readString(Path.of("demo/rollgate.yaml"))
            .replaceFirst("platform: local", "platform: lokal"));
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () ->
                LocalHost.start(
                    LocalHost.Settings.of(manifest.toString(), dir.resolve("state").toString(), 0)
                        .withTimings(
                            Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(5))));
    Throwable cause = e;
    while (cause != null && !(cause instanceof ManifestException)) {
      cause = cause.getCause();
    }
    assertTrue(cause != null, "expected a ManifestException, got " + e);
    assertTrue(
        cause
            .getMessage()
            .contains(
                "apps[0].environments.staging.target.platform: unknown platform 'lokal';"
                    + " available: local"),
        cause.getMessage());
  }
}
