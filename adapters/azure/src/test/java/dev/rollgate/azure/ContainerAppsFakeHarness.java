package dev.rollgate.azure;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.resourcemanager.appcontainers.fluent.models.ContainerAppInner;
import com.azure.resourcemanager.appcontainers.fluent.models.JobInner;
import dev.rollgate.azure.emulator.ArmFake;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ARM fake on a free port and rollgate's Container Apps adapter pointed at it through Azure's
 * SDK (HTTPS, the fake's certificate trusted, the SDK's bearer-token policy in the pipeline). Apps
 * and jobs are created by the SDK's own PUT (createOrUpdate) from JSON shaped as the specs'
 * ContainerApps_CreateOrUpdate and Job_CreateorUpdate examples.
 */
final class ContainerAppsFakeHarness implements AutoCloseable {

  static final String SUBSCRIPTION = "3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b";
  static final String GROUP = "shop-rg";
  static final String PLACEHOLDER = "mcr.microsoft.com/k8se/quickstart:latest";
  private static final AtomicInteger NAMES = new AtomicInteger();

  final ArmFake fake;
  final AzureClients clients;
  final ContainerAppsApi api;

  ContainerAppsFakeHarness() throws IOException {
    fake = ArmFake.start(0);
    AzureSettings settings =
        AzureSettings.defaults()
            .withEndpoint(fake.endpoint(), fake.certificate().toString())
            .withWaits(Duration.ofMillis(100), Duration.ofMinutes(2), Duration.ofMinutes(2));
    clients = new AzureClients(settings);
    api = new ContainerAppsApi(clients);
  }

  ContainerAppsPlatform platform(Clock clock) {
    return new ContainerAppsPlatform(api, faults(clock), clock);
  }

  ContainerAppsJobRunner jobRunner(Clock clock) {
    return new ContainerAppsJobRunner(api, faults(clock), clock);
  }

  static AzureFaults faults(Clock clock) {
    return new AzureFaults(clock, 6, Duration.ofMillis(50), Duration.ofSeconds(2));
  }

  /** A fresh app name: lower-case letters, digits and '-'. */
  static String fresh(String prefix) {
    return prefix
        + "-"
        + NAMES.incrementAndGet()
        + "-"
        + Long.toString(System.nanoTime() % 46656, 36);
  }

  /** The environment's id, as the specs' examples name one. */
  static String environmentId() {
    return "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.App/managedEnvironments/demokube"
        .formatted(SUBSCRIPTION, GROUP);
  }

  /**
   * Creates {@code app} with one container 'shop' running the placeholder image, ingress on port
   * 3000 with all traffic to the latest revision, tagged {@code rollgate-placeholder}, in {@code
   * mode} (Multiple or Single).
   */
  void createPlaceholderApp(String app, String mode) {
    createApp(
        app,
        """
        {"location": "East US", "tags": {"rollgate-placeholder": "true"},
         "properties": {"environmentId": "%s",
          "configuration": {"activeRevisionsMode": "%s",
            "ingress": {"external": true, "targetPort": 3000, "transport": "auto",
              "traffic": [{"weight": 100, "latestRevision": true}]}},
          "template": {"containers": [{"name": "shop", "image": "%s",
              "resources": {"cpu": 0.5, "memory": "1Gi"}}],
            "scale": {"minReplicas": 1, "maxReplicas": 3}}}}
        """
            .formatted(environmentId(), mode, PLACEHOLDER));
  }

  /** Creates an app by the SDK's PUT from its JSON, and waits for ARM's operation. */
  void createApp(String app, String json) {
    clients
        .containerApps(SUBSCRIPTION)
        .getContainerApps()
        .createOrUpdate(GROUP, app, read(json, ContainerAppInner::fromJson));
  }

  /** Creates a Manual job with one container 'migrate' running {@code command}. */
  void createJob(String job, List<String> command) {
    String cmd = command.stream().map(c -> "\"" + c + "\"").toList().toString();
    String json =
        """
        {"location": "East US",
         "properties": {"environmentId": "%s",
          "configuration": {"triggerType": "Manual", "replicaTimeout": 1800, "replicaRetryLimit": 0,
            "manualTriggerConfig": {"replicaCompletionCount": 1, "parallelism": 1},
            "secrets": [{"name": "db-url", "value": "postgres://ledger"}]},
          "template": {"containers": [{"name": "migrate", "image": "%s", "command": %s,
              "env": [{"name": "DATABASE_URL", "secretRef": "db-url"}, {"name": "MODE", "value": "prod"}],
              "resources": {"cpu": 0.25, "memory": "0.5Gi"}}]}}}
        """
            .formatted(environmentId(), PLACEHOLDER, cmd);
    clients
        .containerApps(SUBSCRIPTION)
        .getJobs()
        .createOrUpdate(GROUP, job, read(json, JobInner::fromJson));
  }

  static TargetSpec target(String app, String job) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("subscription", SUBSCRIPTION);
    p.put("resourceGroup", GROUP);
    p.put("app", app);
    if (job != null) {
      p.put("job", job);
    }
    return new TargetSpec(ContainerAppsPlatform.NAME, p, "apps[0].environments.staging.target");
  }

  List<String> revisions(String app) {
    return fake.revisions(SUBSCRIPTION, GROUP, app);
  }

  int executions(String job, String deploymentId) {
    return fake.executions(SUBSCRIPTION, GROUP, job, deploymentId);
  }

  interface Reader<T> {
    T read(JsonReader r) throws IOException;
  }

  static <T> T read(String json, Reader<T> reader) {
    try (JsonReader r = JsonProviders.createReader(json)) {
      return reader.read(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    fake.close();
  }
}
