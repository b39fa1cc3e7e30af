package dev.rollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.port.Clock;
import dev.rollgate.local.platform.ProcessPlatform;
import java.io.IOException;
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
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: the local host process is killed (SIGKILL) in the middle of a deployment; a new
 * host on the same state finishes it through {@code reconcile}, without doing anything twice.
 */
class LocalHostCrashIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path home;
  private final List<Process> hosts = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : hosts) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    try (ProcessPlatform platform =
        new ProcessPlatform(
            home.resolve("platform"), Path.of("demo").toAbsolutePath(), Clock.system())) {
      platform.stopAll();
    }
  }

  @Test
  void reconcile_shouldFinishTheDeploymentOnce_whenTheHostIsKilledMidway() throws Exception {
    // GIVEN a host, and a push of v1 under way
    int port = freePort();
    Process first = startHost(port);
    awaitUp(port, Duration.ofSeconds(60));
    String digest = "sha256:" + "ab".repeat(32);
    HTTP.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/imagePushed"))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"repository\":\"localhost:5000/demo/shop\",\"tag\":\"v1\",\"digest\":\""
                        + digest
                        + "\",\"id\":\"crash-1\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    // WHEN the host is killed while the deployment is being verified
    awaitPhase(port, "VERIFYING", Duration.ofSeconds(60));
    first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    // AND a new host starts on the same state (reconcile runs every second; leases last 3s)
    startHost(port);
    JsonNode done = awaitServing(port, Duration.ofSeconds(90));
    // THEN the deployment SUCCEEDED once, with one revision and no phase twice
    assertEquals("SUCCEEDED", done.path("phase").asText(), done.toString());
    assertEquals("shop-staging-1", done.path("revision").asText());
    JsonNode status = get(port, "/status?after=0");
    List<String> phases = new ArrayList<>();
    for (JsonNode t : status.path("timeline")) {
      if (t.path("deployment").asText().equals(done.path("id").asText())) {
        phases.add(t.path("to").asText());
      }
    }
    assertEquals(new HashSet<>(phases).size(), phases.size(), "no phase twice: " + phases);
    assertEquals(List.of("PENDING", "MIGRATING", "ROLLING_OUT", "VERIFYING", "SUCCEEDED"), phases);
    assertEquals(1, status.path("environments").get(0).path("recent").size());
    try (var files = Files.list(home.resolve("platform").resolve("logs").resolve("shop-staging"))) {
      assertEquals(1, files.count(), "one revision process was ever started");
    }
  }

  @Test
  void host_shouldServeEveryStableUrl_whenItStartsAgainOnTheSameHome() throws Exception {
    // GIVEN v1 serving staging, and the host stopped (its revisions keep running)
    int port = freePort();
    Process first = startHost(port);
    awaitUp(port, Duration.ofSeconds(60));
    HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/imagePushed"))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"repository\":\"localhost:5000/demo/shop\",\"tag\":\"v1\",\"digest\":\"sha256:"
                        + "cd".repeat(32)
                        + "\",\"id\":\"restart-1\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    String url = awaitServing(port, Duration.ofSeconds(90)).path("url").asText();
    assertEquals("shop v1", answer(url, Duration.ofSeconds(10)));
    first.destroy();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the host stops on SIGTERM");

    // WHEN it starts again on the same home, and nothing is deployed
    startHost(port);
    awaitUp(port, Duration.ofSeconds(60));

    // THEN the stable URL answers as soon as the host does
    assertEquals("shop v1", answer(url, Duration.ofSeconds(5)));
  }

  /** The body of GET {@code url}/, once it answers within {@code timeout}. */
  private static String answer(String url, Duration timeout) {
    Instant end = Instant.now().plus(timeout);
    String last = "no answer";
    while (Instant.now().isBefore(end)) {
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url + "/"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return r.body().strip();
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    throw new AssertionError(url + " did not answer within " + timeout + ": " + last);
  }

  private Process startHost(int port) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dlogging.level.root=WARN",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.rollgate.local.Main",
            "--manifest",
            "demo/rollgate.yaml",
            "--home",
            home.toString(),
            "--port",
            String.valueOf(port),
            "--lease",
            "3s",
            "--reconcile-every",
            "1s");
    pb.redirectErrorStream(true);
    pb.redirectOutput(home.resolve("host-" + hosts.size() + ".log").toFile());
    Process p = pb.start();
    hosts.add(p);
    return p;
  }

  private static JsonNode get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private static JsonNode staging(int port) {
    try {
      return get(port, "/status").path("environments").get(0);
    } catch (IOException e) {
      return null; // not up yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void awaitPhase(int port, String phase, Duration timeout) {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      JsonNode s = staging(port);
      if (s != null) {
        for (JsonNode d : s.path("inFlight")) {
          if (phase.equals(d.path("phase").asText())) {
            return;
          }
        }
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
    throw new AssertionError("no deployment reached " + phase + " within " + timeout);
  }

  private static void awaitUp(int port, Duration timeout) {
    Instant end = Instant.now().plus(timeout);
    while (staging(port) == null) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("the host did not answer within " + timeout);
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }

  private static JsonNode awaitServing(int port, Duration timeout) {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      JsonNode s = staging(port);
      if (s != null && s.path("serving").isObject()) {
        return s.path("serving");
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
    throw new AssertionError("nothing served staging within " + timeout);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static {
    assertTrue(Files.exists(Path.of("demo/rollgate.yaml")), "run from adapters/local");
  }
}
