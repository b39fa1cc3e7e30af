package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AccessToken;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import dev.rollgate.assembly.Rollgate;
import dev.rollgate.assembly.RollgateAssembler;
import dev.rollgate.assembly.Settings;
import dev.rollgate.azure.emulator.AzureEmulator;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus.State;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.TestPostgres;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
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
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * What a person does after {@code scripts/rollgate emulate azure}: the fake in a JVM of its own on
 * a real port, its {@code export} lines read; an app and a job created with ARM's own PUT calls by
 * a plain HTTPS client trusting the printed certificate (as {@code curl --cacert} would), then
 * rollgate configured from those exports alone rolls a release out with its migration; a secret put
 * with Key Vault's SetSecret on the same port, then read by the one assembly from those exports.
 */
class AzureEmulatorPortIT {

  private static final String SUB = ContainerAppsFakeHarness.SUBSCRIPTION;
  private static final String GROUP = ContainerAppsFakeHarness.GROUP;

  private static int port;
  private static Process emulator;
  private static Map<String, String> env;

  @BeforeAll
  static void start() throws Exception {
    // 'emulate azure --port P' running, and what it printed
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    emulator =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AzureEmulator.class.getName(),
                "--port",
                String.valueOf(port))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    env = exports(emulator.getInputStream(), 2);
  }

  @AfterAll
  static void stop() {
    if (emulator != null) {
      emulator.destroy();
    }
  }

  @Test
  void start_shouldPrintTheEndpointAndTheCertificate_whenServing() throws Exception {
    // GIVEN / WHEN started above
    // THEN exactly the one endpoint and the PEM to trust
    assertEquals(
        Set.of("ROLLGATE_AZURE_ENDPOINT", "ROLLGATE_AZURE_TRUST_CERTIFICATE"), env.keySet());
    assertEquals("https://127.0.0.1:" + port, env.get("ROLLGATE_AZURE_ENDPOINT"));
    Path pem = Path.of(env.get("ROLLGATE_AZURE_TRUST_CERTIFICATE"));
    assertTrue(Files.readString(pem).startsWith("-----BEGIN CERTIFICATE-----"));
  }

  @Test
  void rollOut_shouldServeTheRelease_whenDrivenAsAPersonWould() throws Exception {
    // GIVEN an app and a job made by ARM's PUT calls, over HTTPS, with any bearer token
    String endpoint = env.get("ROLLGATE_AZURE_ENDPOINT");
    Path pem = Path.of(env.get("ROLLGATE_AZURE_TRUST_CERTIFICATE"));
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
    AzureSettings azure =
        AzureSettings.from(Settings.fromEnvironment(env, name -> null)::get)
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
  }

  @Test
  void resolve_shouldReadTheSecretPutWithSetSecret_whenRollgateHasOnlyTheExports(@TempDir Path dir)
      throws Exception {
    // GIVEN the ledger's URL put as a secret by Key Vault's SetSecret, through Azure's own client
    // trusting the printed certificate, any token, on the same port as ARM
    String ledgerUrl = TestPostgres.freshDatabaseUrl();
    SecretClient vault =
        new SecretClientBuilder()
            .vaultUrl(env.get("ROLLGATE_AZURE_ENDPOINT"))
            .credential(
                request ->
                    Mono.just(new AccessToken("anything", OffsetDateTime.now().plusHours(1))))
            .httpClient(azureClientTrusting(Path.of(env.get("ROLLGATE_AZURE_TRUST_CERTIFICATE"))))
            // the fake's challenge names vault.azure.net, and its host is 127.0.0.1
            .disableChallengeResourceVerification()
            .buildClient();
    KeyVaultSecret put = vault.setSecret("ledger-url", ledgerUrl);
    assertTrue(put.getProperties().getVersion().matches("[0-9a-f]{32}"), put.getId());
    assertEquals(
        env.get("ROLLGATE_AZURE_ENDPOINT")
            + "/secrets/ledger-url/"
            + put.getProperties().getVersion(),
        put.getId());

    // WHEN rollgate is assembled (its extensions as the Functions entry finds them) from the
    // exports, a manifest and rollgate.ledger-url=azure-kv:myvault/ledger-url only
    Path manifest =
        Files.writeString(
            dir.resolve("rollgate.yaml"),
            String.join(
                "\n",
                "version: 1",
                "apps:",
                "  - name: shop",
                "    image: shopacr.azurecr.io/shop",
                "    environments:",
                "      staging:",
                "        target: { platform: containerapps, subscription: " + SUB + ",",
                "                  resourceGroup: " + GROUP + ", app: shop }",
                ""));
    Map<String, String> own =
        Map.of(
            "rollgate.manifest",
            manifest.toString(),
            "rollgate.ledger-url",
            "azure-kv:myvault/ledger-url");
    try (Rollgate rollgate =
        RollgateAssembler.of(Settings.fromEnvironment(env, own::get)).assemble()) {

      // THEN the ledger URL was read from the fake's Key Vault: the ledger answers
      assertEquals(200, rollgate.api().status(FunctionRequest.of("")).status());
    }
  }

  /** An Azure SDK HTTP client (Netty) trusting the PEM only, as {@code curl --cacert} would. */
  private static com.azure.core.http.HttpClient azureClientTrusting(Path pem) throws Exception {
    SslContext ssl = SslContextBuilder.forClient().trustManager(pem.toFile()).build();
    return new NettyAsyncHttpClientBuilder(
            reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(ssl)))
        .build();
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
