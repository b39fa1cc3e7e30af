package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.Rollgate;
import dev.rollgate.assembly.RollgateAssembler;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.assembly.Settings;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.gcp.emulator.GcpEmulator;
import dev.rollgate.gcp.emulator.SecretManagerSetup;
import dev.rollgate.gcp.emulator.StorageFake;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.InMemoryPlatform;
import dev.rollgate.testing.ScriptedProbe;
import dev.rollgate.testing.TestPostgres;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gcp extension's stores in the one assembly, on both fakes: the manifest read from {@code
 * gs://}, the ledger URL and the app's database URL from {@code gcp-sm:}, Flyway's {@code gs:}
 * migrations applied on a push, backups at {@code gs://}.
 */
class GcpStoresAssemblyIT {

  private static final String PROJECT = "rollgate-it";
  private static final String BUCKET = "deploy-config";
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final String MANIFEST =
      """
      version: 1
      apps:
        - name: shop
          image: registry.test/team/shop
          environments:
            staging:
              target: { platform: memory, service: shop-staging }
              health: { interval: 1ms, successThreshold: 1, failureThreshold: 1, deadline: 30s }
              migrations:
                flyway: { locations: ["gs:%s/shop/{tag}"], database: "gcp-sm:%s" }
      """;

  private static GcpEmulator emulator;
  private static StorageFake storageFake;
  private static GcpClients clients;
  private static SecretManagerServiceClient secrets;
  private static GcsStorage storage;

  /** Contributes the in-memory platform the manifest names. */
  private static final class MemoryExtension implements RollgateExtension {
    @Override
    public String name() {
      return "memory";
    }

    @Override
    public void beforeManifest(Contributions c) {}

    @Override
    public void withManifest(Manifest manifest, Contributions c) {
      c.platform(new InMemoryPlatform());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    emulator = GcpEmulator.onPort(0);
    storageFake = StorageFake.onPort(0);
    clients = new GcpClients(GcpSettings.defaults().withEmulatorHost(emulator.host()));
    secrets = SecretManagerSetup.client(clients);
    storage = new GcsStorage(storageFake.host(), PROJECT);
    storage.get().create(BucketInfo.of(BUCKET));
    for (String file : List.of("V1__create_orders.sql", "V2__add_order_status.sql")) {
      try (InputStream in =
          GcpStoresAssemblyIT.class.getResourceAsStream("/gs/migrations/v1/" + file)) {
        storage
            .get()
            .create(BlobInfo.newBuilder(BUCKET, "shop/v1/" + file).build(), in.readAllBytes());
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    secrets.close();
    clients.close();
    storageFake.close();
    emulator.close();
  }

  /** Settings pointing at both fakes, with the manifest stored at {@code gs://} and the secrets. */
  private static Map<String, String> settings(String ledgerSecret) {
    return settings(ledgerSecret, TestPostgres.freshDatabaseUrl());
  }

  private static Map<String, String> settings(String ledgerSecret, String shopDbUrl) {
    String n = Integer.toString(NAMES.incrementAndGet());
    String manifest = "rollgate-" + n + ".yaml";
    String shopDb = "shop-db-" + n;
    SecretManagerSetup.create(secrets, PROJECT, shopDb, shopDbUrl);
    storage
        .get()
        .create(
            BlobInfo.newBuilder(BUCKET, manifest).build(),
            MANIFEST.formatted(BUCKET, shopDb).getBytes(StandardCharsets.UTF_8));
    Map<String, String> s = new HashMap<>();
    s.put("rollgate.gcp.emulator-host", emulator.host());
    s.put("rollgate.gcp.storage-host", storageFake.host());
    s.put("rollgate.gcp.project", PROJECT);
    s.put("rollgate.manifest", "gs://" + BUCKET + "/" + manifest);
    s.put("rollgate.ledger-url", "gcp-sm:projects/" + PROJECT + "/secrets/" + ledgerSecret);
    s.put("rollgate.backup-store", "gs://" + BUCKET + "/backups");
    return s;
  }

  private static RollgateAssembler assembler(Map<String, String> s) {
    return RollgateAssembler.of(Settings.of(s::get))
        .extensions(List.of(new GcpExtension(), new MemoryExtension()))
        .probe(ScriptedProbe.alwaysHealthy());
  }

  @Test
  void assemble_shouldDeployWithGsMigrations_whenEverythingLivesInGoogleCloud() throws Exception {
    // GIVEN the ledger's JDBC URL in Secret Manager, the manifest and migrations in Cloud Storage
    String ledger = "ledger-" + NAMES.incrementAndGet();
    SecretManagerSetup.create(secrets, PROJECT, ledger, TestPostgres.freshDatabaseUrl());
    String shopDb = TestPostgres.freshDatabaseUrl();

    // WHEN rollgate is assembled and a push of v1 arrives
    try (Rollgate rollgate = assembler(settings(ledger, shopDb)).assemble()) {
      FunctionResponse r =
          rollgate
              .api()
              .imagePushed(FunctionRequest.of(EngineHarness.push("shop", "v1", 1, "e1", null)));

      // THEN it deployed after applying both gs: migrations to the database gcp-sm: names
      assertEquals(202, r.status(), r.body());
      assertTrue(r.body().contains("\"phase\":\"SUCCEEDED\""), r.body());
      assertEquals("shop", rollgate.manifest().apps().get(0).name());
    }
    try (Connection c = DriverManager.getConnection(shopDb);
        ResultSet rs =
            c.createStatement().executeQuery("select count(*) from flyway_schema_history")) {
      assertTrue(rs.next());
      assertEquals(2, rs.getInt(1));
    }
  }

  @Test
  void assemble_shouldNameTheSecretAndTheFix_whenTheLedgerSecretDoesNotExist() {
    // GIVEN a ledger reference to a secret nobody created
    Map<String, String> s = settings("no-ledger");

    // WHEN
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> assembler(s).assemble());

    // THEN
    assertTrue(
        e.getMessage().contains("gcp-sm:projects/" + PROJECT + "/secrets/no-ledger"),
        e.getMessage());
    assertTrue(e.getMessage().contains("store the ledger's JDBC URL in it"), e.getMessage());
  }

  @Test
  void assemble_shouldNameTheLocation_whenTheManifestObjectIsMissing() {
    // GIVEN a manifest location where nothing is stored
    Map<String, String> s = settings("unused");
    s.put("rollgate.manifest", "gs://" + BUCKET + "/missing/rollgate.yaml");

    // WHEN
    ManifestException e = assertThrows(ManifestException.class, () -> assembler(s).assemble());

    // THEN
    assertTrue(
        e.getMessage().contains("gs://" + BUCKET + "/missing/rollgate.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
    assertFalse(e.getMessage().contains("jdbc:"), e.getMessage());
  }
}
