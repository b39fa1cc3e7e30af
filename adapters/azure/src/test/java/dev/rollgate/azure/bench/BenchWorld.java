package dev.rollgate.azure.bench;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.resourcemanager.appcontainers.fluent.ContainerAppsApiClient;
import com.azure.resourcemanager.appcontainers.fluent.models.ContainerAppInner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.azure.emulator.ArmFake;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What an Azure cold start deploys into: rollgate's ARM fake ({@link ArmFake}, what {@code
 * scripts/rollgate emulate azure} serves) on a port, with two Container Apps in Multiple revision
 * mode (one per side) created by the SDK's own PUT; a health endpoint standing in for the app (the
 * fake runs no containers); rollgate's manifest (no migration); ACR's ImagePushed sample in the
 * Event Grid schema with a new id, time and digest each time.
 */
public final class BenchWorld implements AutoCloseable {

  /** The image of the ACR sample: its registry host and repository. */
  public static final String IMAGE = "jolovcr.azurecr.io/samples/nginx";

  public static final String SUBSCRIPTION = "3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b";
  public static final String GROUP = "bench-rg";
  public static final String ROLLGATE_APP = "rollgate-shop";
  public static final String PLAIN_APP = "plain-shop";

  /**
   * How often both sides poll ARM's operation when ARM gives no Retry-After (rollgate's default is
   * 1s); the fake ends operations after 300 ms.
   */
  static final String OPERATION_POLL = "PT0.1S";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ArmFake fake;
  private final HttpServer health;
  private final Path manifest;
  private final byte[] sample;

  private BenchWorld(Path root, Path work) throws Exception {
    fake = ArmFake.start(0);
    health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    health.createContext(
        "/health",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    health.start();
    ContainerAppsApiClient arm =
        PlainPushFunction.arm(
            fake.endpoint(),
            fake.certificate().toString(),
            SUBSCRIPTION,
            Duration.parse(OPERATION_POLL));
    createApp(arm, ROLLGATE_APP);
    createApp(arm, PLAIN_APP);
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
            "        target: { platform: containerapps, subscription: "
                + SUBSCRIPTION
                + ", resourceGroup: "
                + GROUP
                + ", app: "
                + ROLLGATE_APP
                + ", url: \""
                + url()
                + "\" }",
            "        health: { interval: 50ms, timeout: 2s, successThreshold: 1,"
                + " failureThreshold: 2, deadline: 30s }",
            ""));
    sample =
        Files.readAllBytes(root.resolve("events/fixtures/azure-eventgrid-acr-image-pushed.json"));
  }

  /** Starts the fake, creates both apps and the health endpoint; writes the manifest into work. */
  public static BenchWorld start(Path root, Path work) throws Exception {
    return new BenchWorld(root, work);
  }

  /**
   * Creates {@code app}: one container 'shop' running {@value #IMAGE}:1.0, ingress on port 3000,
   * Multiple revision mode, as the specs' ContainerApps_CreateOrUpdate example shapes an app.
   */
  private static void createApp(ContainerAppsApiClient arm, String app) throws IOException {
    String json =
        """
        {"location": "East US",
         "properties": {"environmentId": "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.App/managedEnvironments/demokube",
          "configuration": {"activeRevisionsMode": "Multiple",
            "ingress": {"external": true, "targetPort": 3000, "transport": "auto",
              "traffic": [{"weight": 100, "latestRevision": true}]}},
          "template": {"containers": [{"name": "shop", "image": "%s:1.0",
              "resources": {"cpu": 0.5, "memory": "1Gi"}}],
            "scale": {"minReplicas": 1, "maxReplicas": 3}}}}
        """
            .formatted(SUBSCRIPTION, GROUP, IMAGE);
    try (JsonReader r = JsonProviders.createReader(json)) {
      arm.getContainerApps().createOrUpdate(GROUP, app, ContainerAppInner.fromJson(r));
    }
  }

  public Path manifest() {
    return manifest;
  }

  /** The app's stable URL in the manifest: the health endpoint's server. */
  public String url() {
    return "http://127.0.0.1:" + health.getAddress().getPort();
  }

  public String healthUrl() {
    return url() + "/health";
  }

  /**
   * The image of the revision that the fake says serves {@code app} now (100% of the traffic, by
   * name, and Healthy), else null.
   */
  public String image(String app) {
    JsonNode traffic =
        fake.app(SUBSCRIPTION, GROUP, app)
            .path("properties")
            .path("configuration")
            .path("ingress")
            .path("traffic");
    if (traffic.size() != 1
        || traffic.get(0).path("weight").asInt() != 100
        || !traffic.get(0).hasNonNull("revisionName")) {
      return null;
    }
    JsonNode revision =
        fake.revision(SUBSCRIPTION, GROUP, app, traffic.get(0).path("revisionName").asText())
            .path("properties");
    if (!"Healthy".equals(revision.path("healthState").asText())) {
      return null;
    }
    return revision.path("template").path("containers").path(0).path("image").asText(null);
  }

  /** The push sample as a new event: its own id, time and {@code digest}. */
  public byte[] push(String digest, String id) throws IOException {
    ObjectNode event = (ObjectNode) JSON.readTree(sample);
    String now = Instant.now().toString();
    event.put("id", id);
    event.put("eventTime", now);
    ObjectNode data = (ObjectNode) event.path("data");
    data.put("id", id);
    data.put("timestamp", now);
    ((ObjectNode) data.path("target")).put("digest", digest);
    return JSON.writeValueAsString(event).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * rollgate's environment (its app settings), in this one place: the manifest, the ledger, the ARM
   * endpoint, the certificate to trust, the poll interval.
   */
  public Map<String, String> rollgateEnv(String ledgerUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("ROLLGATE_MANIFEST", manifest.toString());
    env.put("ROLLGATE_LEDGER_URL", ledgerUrl);
    env.put("ROLLGATE_AZURE_ENDPOINT", fake.endpoint());
    env.put("ROLLGATE_AZURE_TRUST_CERTIFICATE", fake.certificate().toString());
    env.put("ROLLGATE_AZURE_OPERATION_POLL", OPERATION_POLL);
    return env;
  }

  /** The baseline's environment. */
  public Map<String, String> plainEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("PLAIN_ARM_ENDPOINT", fake.endpoint());
    env.put("PLAIN_TRUST_CERTIFICATE", fake.certificate().toString());
    env.put("PLAIN_SUBSCRIPTION", SUBSCRIPTION);
    env.put("PLAIN_RESOURCE_GROUP", GROUP);
    env.put("PLAIN_APP", PLAIN_APP);
    env.put("PLAIN_HEALTH_URL", healthUrl());
    env.put("PLAIN_OPERATION_POLL", OPERATION_POLL);
    return env;
  }

  @Override
  public void close() {
    health.stop(0);
    fake.close();
  }
}
