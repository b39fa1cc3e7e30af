package dev.rollgate.gcp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.ExecutionsSettings;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.RevisionsClient;
import com.google.cloud.run.v2.RevisionsSettings;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.ServicesSettings;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.gcp.emulator.CloudRunSetup;
import dev.rollgate.gcp.emulator.GcpEmulator;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a cold start deploys into, shared by the bench and the packaged-artifact test: rollgate's
 * Google Cloud fake ({@link GcpEmulator}, what {@code scripts/rollgate emulate gcp} serves) on a
 * port, set up with the Admin API's own CreateService (one service per side) and, with a migration,
 * CreateJob; a health endpoint standing in for the app (the fake runs no containers); rollgate's
 * manifest; Eventarc's {@code messagePublished} sample carrying Artifact Registry's insert-tag
 * sample, with a new digest each time.
 */
public final class BenchWorld implements AutoCloseable {

  public static final String IMAGE = "us-west1-docker.pkg.dev/my-project/my-repo/hello-world";
  public static final String PROJECT = "bench-project";
  public static final String PARENT = "projects/" + PROJECT + "/locations/us-central1";
  public static final String ROLLGATE_SERVICE = PARENT + "/services/rollgate-shop";
  public static final String PLAIN_SERVICE = PARENT + "/services/plain-shop";
  public static final String MIGRATION_JOB = "rollgate-shop-migrate";

  /**
   * How often both sides poll a long-running operation (the fake's end within 300 ms; Google's
   * client would first wait 5 s).
   */
  static final String OPERATION_POLL = "PT0.1S";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final GcpEmulator emulator;
  private final ManagedChannel channel;
  private final ServicesClient services;
  private final RevisionsClient revisions;
  private final ExecutionsClient executions;
  private final HttpServer health;
  private final Path manifest;
  private final byte[] sample;
  private final byte[] notification;

  private BenchWorld(Path root, Path work, boolean migration) throws Exception {
    emulator = GcpEmulator.onPort(0);
    channel = ManagedChannelBuilder.forTarget(emulator.host()).usePlaintext().build();
    FixedTransportChannelProvider transport =
        FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    services =
        ServicesClient.create(
            ServicesSettings.newBuilder()
                .setTransportChannelProvider(transport)
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
    revisions =
        RevisionsClient.create(
            RevisionsSettings.newBuilder()
                .setTransportChannelProvider(transport)
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
    executions =
        ExecutionsClient.create(
            ExecutionsSettings.newBuilder()
                .setTransportChannelProvider(transport)
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
    health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    health.createContext(
        "/health",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    health.start();
    String url = "http://127.0.0.1:" + health.getAddress().getPort();
    CloudRunSetup.createService(channel, PARENT, id(ROLLGATE_SERVICE), IMAGE + ":1.0");
    CloudRunSetup.createService(channel, PARENT, id(PLAIN_SERVICE), IMAGE + ":1.0");
    if (migration) {
      CloudRunSetup.createJob(
          channel, PARENT, MIGRATION_JOB, List.of("migrate"), IMAGE + ":1.0", Map.of());
    }
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
            "        target: { platform: cloudrun, project: "
                + PROJECT
                + ", region: us-central1,"
                + " service: "
                + id(ROLLGATE_SERVICE)
                + (migration ? ", job: " + MIGRATION_JOB : "")
                + ", url: \""
                + url
                + "\" }",
            migration ? "        migrations: { job: { command: [migrate], args: [up] } }" : "",
            "        health: { interval: 50ms, timeout: 2s, successThreshold: 1,"
                + " failureThreshold: 2, deadline: 30s }",
            ""));
    Path fixtures = root.resolve("events/fixtures");
    sample = Files.readAllBytes(fixtures.resolve("gcp-pubsub-cloudevent-messagepublished.json"));
    notification =
        Files.readAllBytes(fixtures.resolve("gcp-artifact-registry-notification-insert-tag.json"));
  }

  /**
   * Starts the fake, creates the services (and, with {@code migration}, the job {@value
   * #MIGRATION_JOB} that rollgate's manifest then runs as a {@code job:} migration) and the health
   * endpoint; writes the manifest into {@code work}.
   */
  public static BenchWorld start(Path root, Path work, boolean migration) throws Exception {
    return new BenchWorld(root, work, migration);
  }

  public Path manifest() {
    return manifest;
  }

  /** {@code 127.0.0.1:port} of the fake. */
  public String cloudRunHost() {
    return emulator.host();
  }

  /** The service as Cloud Run's GetService answers it now. */
  public Service service(String service) {
    return services.getService(service);
  }

  /** The one revision {@code traffic_statuses} say serves 100% of {@code service}, else null. */
  public String servingRevision(String service) {
    List<TrafficTargetStatus> statuses = service(service).getTrafficStatusesList();
    if (statuses.size() != 1 || statuses.get(0).getPercent() != 100) {
      return null;
    }
    return statuses.get(0).getRevision();
  }

  /** The image of the revision serving {@code service} now, else null. */
  public String image(String service) {
    String serving = servingRevision(service);
    if (serving == null || serving.isEmpty()) {
      return null;
    }
    Revision r = revisions.getRevision(service + "/revisions/" + serving);
    return r.getContainers(0).getImage();
  }

  /** The names of {@code job}'s executions, as ListExecutions answers them. */
  public List<String> executions(String job) {
    List<String> names = new ArrayList<>();
    executions
        .listExecutions(PARENT + "/jobs/" + job)
        .iterateAll()
        .forEach(e -> names.add(e.getName()));
    return names;
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
    env.put("ROLLGATE_GCP_EMULATOR_HOST", emulator.host());
    env.put("GOOGLE_CLOUD_PROJECT", PROJECT);
    env.put("ROLLGATE_GCP_OPERATION_POLL", OPERATION_POLL);
    return env;
  }

  /** The function's environment for the baseline. */
  public Map<String, String> plainEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("ROLLGATE_GCP_EMULATOR_HOST", emulator.host());
    env.put("PLAIN_SERVICE", PLAIN_SERVICE);
    env.put("PLAIN_HEALTH_URL", healthUrl());
    env.put("PLAIN_OPERATION_POLL", OPERATION_POLL);
    return env;
  }

  private static String id(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  @Override
  public void close() throws InterruptedException {
    health.stop(0);
    services.close();
    revisions.close();
    executions.close();
    channel.shutdownNow();
    emulator.close();
  }
}
