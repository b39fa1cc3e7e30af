package dev.rollgate.gcp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What a cold start deploys into, shared by the bench and the packaged-artifact test: the Cloud Run
 * stand-in on a port with one service per side, a health endpoint, and rollgate's manifest;
 * Eventarc's {@code messagePublished} sample carrying Artifact Registry's insert-tag sample, with a
 * new digest each time.
 */
public final class BenchWorld implements AutoCloseable {

  public static final String IMAGE = "us-west1-docker.pkg.dev/my-project/my-repo/hello-world";
  public static final String ROLLGATE_SERVICE =
      "projects/bench/locations/us-central1/services/rollgate-shop";
  public static final String PLAIN_SERVICE =
      "projects/bench/locations/us-central1/services/plain-shop";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StandInCloudRun cloudRun;
  private final HttpServer health;
  private final Path manifest;
  private final byte[] sample;
  private final byte[] notification;

  private BenchWorld(Path root, Path work) throws IOException {
    cloudRun = StandInCloudRun.start();
    health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    health.createContext(
        "/health",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    health.start();
    String url = "http://127.0.0.1:" + health.getAddress().getPort();
    cloudRun.create(ROLLGATE_SERVICE, IMAGE + ":1.0", url);
    cloudRun.create(PLAIN_SERVICE, IMAGE + ":1.0", url);
    Files.createDirectories(work);
    manifest = work.resolve("rollgate.yaml");
    // One healthy probe, as the baseline makes one GET.
    Files.writeString(
        manifest,
        String.join(
            "\n",
            "version: 1",
            "apps:",
            "  - name: shop",
            "    image: " + IMAGE,
            "    environments:",
            "      staging:",
            "        deploy: on-push",
            "        target: { platform: cloudrun, project: bench, region: us-central1,"
                + " service: rollgate-shop, url: \""
                + url
                + "\" }",
            "        health: { interval: 50ms, timeout: 2s, successThreshold: 1,"
                + " failureThreshold: 2, deadline: 30s }",
            ""));
    Path fixtures = root.resolve("events/fixtures");
    sample = Files.readAllBytes(fixtures.resolve("gcp-pubsub-cloudevent-messagepublished.json"));
    notification =
        Files.readAllBytes(fixtures.resolve("gcp-artifact-registry-notification-insert-tag.json"));
  }

  /** Starts the stand-in and the health endpoint; writes the manifest into {@code work}. */
  public static BenchWorld start(Path root, Path work) throws IOException {
    return new BenchWorld(root, work);
  }

  public Path manifest() {
    return manifest;
  }

  /** {@code 127.0.0.1:port} of the Cloud Run stand-in. */
  public String cloudRunHost() {
    return cloudRun.host();
  }

  /** The image serving {@code service} now. */
  public String image(String service) {
    return cloudRun.image(service);
  }

  public String healthUrl() {
    return "http://127.0.0.1:" + health.getAddress().getPort() + "/health";
  }

  /** The push sample as a new event: its own id, publish time and {@code digest}. */
  public byte[] push(String digest, String id) throws IOException {
    ObjectNode n = (ObjectNode) JSON.readTree(notification);
    n.put("digest", IMAGE + "@" + digest);
    ObjectNode event = (ObjectNode) JSON.readTree(sample);
    String now = Instant.now().toString();
    event.put("id", id);
    event.put("time", now);
    ObjectNode message = (ObjectNode) event.path("data").path("message");
    message.put("messageId", id);
    message.put("publishTime", now);
    message.put("data", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(n)));
    return JSON.writeValueAsString(event).getBytes(StandardCharsets.UTF_8);
  }

  /** The function's environment for rollgate's side. */
  public Map<String, String> rollgateEnv(String ledgerUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("ROLLGATE_MANIFEST", manifest.toString());
    env.put("ROLLGATE_LEDGER_URL", ledgerUrl);
    env.put("ROLLGATE_GCP_EMULATOR_HOST", cloudRun.host());
    env.put("GOOGLE_CLOUD_PROJECT", "bench");
    return env;
  }

  /** The function's environment for the baseline. */
  public Map<String, String> plainEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("ROLLGATE_GCP_EMULATOR_HOST", cloudRun.host());
    env.put("PLAIN_SERVICE", PLAIN_SERVICE);
    env.put("PLAIN_HEALTH_URL", healthUrl());
    return env;
  }

  @Override
  public void close() throws InterruptedException {
    health.stop(0);
    cloudRun.close();
  }
}
