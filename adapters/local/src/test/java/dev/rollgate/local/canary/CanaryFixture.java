package dev.rollgate.local.canary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * What the canary ITs and {@code scripts/bench canary} share: a manifest of the demo's shop with a
 * canary strategy (absolute paths, so it can live anywhere), pushes, and reads of /status.
 */
public final class CanaryFixture {

  public static final String SERVICE = "shop-canary";
  public static final String REVISION_HEADER = "X-Rollgate-Revision";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private CanaryFixture() {}

  /**
   * Writes {@code dir/rollgate.yaml}: shop on the local platform, probes every {@code interval},
   * and {@code strategy} (the YAML of {@code strategy.canary}, or null for the default analysis).
   */
  public static Path manifest(Path dir, Path demo, String interval, String canary)
      throws IOException {
    return manifest(dir, demo, demo.resolve("releases"), interval, canary);
  }

  /** The same, with the releases ({@code <releases>/<tag>/release.properties}) read elsewhere. */
  public static Path manifest(Path dir, Path demo, Path releases, String interval, String canary)
      throws IOException {
    Path demoDir = demo.toAbsolutePath();
    String yaml =
        """
        version: 1
        apps:
          - name: shop
            image: localhost:5000/demo/shop
            environments:
              staging:
                target:
                  platform: local
                  service: %s
                  command: "{java} %s/sample-service/SampleService.java --port {port} --image {image} --release-dir %s/{tag}"
                health:
                  url: "{url}/health"
                  json: { field: status, equals: UP }
                  interval: %s
                  timeout: 1s
                  deadline: 60s
                strategy:
                  canary: %s
        """
            .formatted(
                SERVICE,
                demoDir,
                releases.toAbsolutePath(),
                interval,
                canary == null ? "{}" : canary);
    Files.createDirectories(dir);
    Path file = dir.resolve("rollgate.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** POST /imagePushed of shop:{@code tag}; answers the HTTP status. */
  public static int push(int port, String tag, int n) throws IOException, InterruptedException {
    String digest = "sha256:" + String.format("%064x", n);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/imagePushed"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"repository\":\"localhost:5000/demo/shop\",\"tag\":\""
                            + tag
                            + "\",\"digest\":\""
                            + digest
                            + "\",\"id\":\"push-"
                            + tag
                            + "-"
                            + n
                            + "\"}"))
                .timeout(Duration.ofMinutes(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }

  /** Starts a push without waiting for its answer (the host advances it within the request). */
  public static void pushAsync(int port, String tag, int n) {
    Thread t =
        new Thread(
            () -> {
              try {
                push(port, tag, n);
              } catch (IOException | InterruptedException e) {
                // The host may die under the push (a crash test): reconcile finishes it.
              }
            },
            "push-" + tag);
    t.setDaemon(true);
    t.start();
  }

  /** The staging environment of GET /status, or null while the host does not answer. */
  public static JsonNode staging(int port) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status?after=0"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body()).path("environments").get(0);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The whole GET /status answer, timeline included. */
  public static JsonNode status(int port) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status?after=0"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /** The in-flight deployment of staging, or null. */
  public static JsonNode inFlight(int port) {
    JsonNode s = staging(port);
    return s == null || s.path("inFlight").isEmpty() ? null : s.path("inFlight").get(0);
  }

  /** Polls the staging environment until {@code done} holds of it. */
  public static JsonNode await(int port, Duration timeout, String what, Predicate<JsonNode> done) {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      JsonNode s = staging(port);
      if (s != null && done.test(s)) {
        return s;
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
    throw new AssertionError(what + " did not happen within " + timeout + ": " + staging(port));
  }

  /** The latest deployment of staging reached {@code phase}. */
  public static Predicate<JsonNode> latestIs(String phase) {
    return s ->
        s.path("recent").size() > 0 && phase.equals(s.path("recent").get(0).path("phase").asText());
  }

  /** The in-flight deployment analyses step {@code step} of its canary. */
  public static Predicate<JsonNode> analysing(int step) {
    return s -> {
      JsonNode c = s.path("inFlight").path(0).path("canary");
      return "ANALYSING".equals(c.path("state").asText()) && c.path("step").asInt() == step;
    };
  }

  /** One GET / of the stable URL: the revision that answered (header), or null when none did. */
  public static String answeredBy(String url) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/")).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.headers().firstValue(REVISION_HEADER).orElse(null);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
