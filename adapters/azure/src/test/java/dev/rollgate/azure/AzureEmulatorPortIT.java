package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.azure.emulator.AzureEmulator;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus.State;
import dev.rollgate.testing.Deployments;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * What a person does after {@code scripts/rollgate emulate azure}: the fake in a JVM of its own on
 * a real port, its {@code export} lines read, an app and a job created with ARM's own PUT calls by
 * a plain HTTPS client trusting the printed certificate (as {@code curl --cacert} would), then
 * rollgate configured from those exports alone rolls a release out with its migration.
 */
class AzureEmulatorPortIT {

  private static final String SUB = ContainerAppsFakeHarness.SUBSCRIPTION;
  private static final String GROUP = ContainerAppsFakeHarness.GROUP;

  @Test
  void rollOut_shouldServeTheRelease_whenDrivenAsAPersonWould() throws Exception {
    // GIVEN 'emulate azure --port P' running, and what it printed
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process emulator =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AzureEmulator.class.getName(),
                "--port",
                String.valueOf(port))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      Map<String, String> env = exports(emulator.getInputStream(), 2);
      String endpoint = env.get("ROLLGATE_AZURE_ARM_ENDPOINT");
      assertEquals("https://127.0.0.1:" + port, endpoint);
      Path pem = Path.of(env.get("ROLLGATE_AZURE_TRUST_CERTIFICATE"));
      assertTrue(Files.readString(pem).startsWith("-----BEGIN CERTIFICATE-----"));

      // ... an app and a job made by ARM's PUT calls, over HTTPS, with any bearer token
      HttpClient http = HttpClient.newBuilder().sslContext(trusting(pem)).build();
      String app = "shop";
      String base =
          endpoint
              + "/subscriptions/"
              + SUB
              + "/resourceGroups/"
              + GROUP
              + "/providers/Microsoft.App/";
      assertEquals(401, put(http, base + "containerApps/" + app, "{}", null).statusCode());
      HttpResponse<String> created =
          put(http, base + "containerApps/" + app, placeholderApp(), "Bearer anything");
      assertEquals(201, created.statusCode(), created.body());
      assertTrue(created.headers().firstValue("Azure-AsyncOperation").isPresent());
      HttpResponse<String> job = put(http, base + "jobs/shop-migrate", job(), "Bearer anything");
      assertEquals(201, job.statusCode(), job.body());

      // WHEN rollgate, set up from the exports alone, migrates and rolls a release out
      Map<String, String> settings = new HashMap<>();
      env.forEach(
          (k, v) ->
              settings.put(
                  k.toLowerCase().replace("rollgate_azure_", "rollgate.azure.").replace('_', '-'),
                  v));
      AzureSettings azure =
          AzureSettings.from(settings::get)
              .withWaits(Duration.ofMillis(200), Duration.ofMinutes(2), Duration.ofMinutes(2));
      ContainerAppsApi api = new ContainerAppsApi(new AzureClients(azure));
      AzureFaults faults = ContainerAppsFakeHarness.faults(Clock.system());
      ContainerAppsPlatform platform = new ContainerAppsPlatform(api, faults, Clock.system());
      ContainerAppsJobRunner runner = new ContainerAppsJobRunner(api, faults, Clock.system());
      TargetSpec target = ContainerAppsFakeHarness.target(app, "shop-migrate");
      ImageRef image = new ImageRef("shopacr.azurecr.io", "shop", "v1", Deployments.digest(1));
      MigrationRunner.Result migrated =
          runner.migrate(
              MigrationSpec.job(List.of("alembic"), List.of("upgrade", "head"), Map.of(), null),
              new MigrationRunner.Context("shop", "staging", "d-1", image, null, null, target));
      String revision = platform.rollOut(target, "d-1", image).id();

      // THEN the migration ran once and the release serves, by name
      assertEquals(1, migrated.applied());
      RolloutStatus status = await(platform, target, revision);
      assertEquals(State.READY, status.state(), status.detail());
      assertEquals(image.pinned(), platform.describe(target).image().pinned());
      assertEquals(
          "https://shop.demokube.eastus.azurecontainerapps.io", platform.describe(target).url());
    } finally {
      emulator.destroy();
    }
  }

  private static RolloutStatus await(
      ContainerAppsPlatform platform, TargetSpec target, String revision) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    RolloutStatus s = platform.observe(target, revision);
    while (s.state() == State.IN_PROGRESS && Instant.now().isBefore(deadline)) {
      Clock.system().pause(Duration.ofMillis(100));
      s = platform.observe(target, revision);
    }
    return s;
  }

  /** The first {@code n} {@code export NAME=value} lines. */
  private static Map<String, String> exports(InputStream out, int n) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
    Map<String, String> env = new HashMap<>();
    while (env.size() < n) {
      String line = r.readLine();
      if (line == null) {
        throw new IllegalStateException("the emulator stopped after printing " + env);
      }
      assertTrue(line.matches("export [A-Z_]+=\\S+"), line);
      String[] kv = line.substring("export ".length()).split("=", 2);
      env.put(kv[0], kv[1]);
    }
    return env;
  }

  private static SSLContext trusting(Path pem) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      ks.setCertificateEntry(
          "arm", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  private static HttpResponse<String> put(HttpClient http, String url, String body, String auth)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url + "?api-version=2025-01-01"))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String placeholderApp() {
    return """
        {"location": "East US", "tags": {"rollgate-placeholder": "true"},
         "properties": {"environmentId": "%s",
          "configuration": {"activeRevisionsMode": "Multiple",
            "ingress": {"external": true, "targetPort": 3000, "traffic": [{"weight": 100, "latestRevision": true}]}},
          "template": {"containers": [{"name": "shop", "image": "%s"}]}}}
        """
        .formatted(ContainerAppsFakeHarness.environmentId(), ContainerAppsFakeHarness.PLACEHOLDER);
  }

  private static String job() {
    return """
        {"location": "East US",
         "properties": {"environmentId": "%s",
          "configuration": {"triggerType": "Manual", "replicaTimeout": 1800},
          "template": {"containers": [{"name": "migrate", "image": "%s", "command": ["alembic"]}]}}}
        """
        .formatted(ContainerAppsFakeHarness.environmentId(), ContainerAppsFakeHarness.PLACEHOLDER);
  }
}
