package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.Rollgate;
import dev.rollgate.assembly.RollgateAssembler;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.assembly.Settings;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.testing.InMemoryPlatform;
import dev.rollgate.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The azure extension's Blob Storage stores in the one assembly, on Azurite: the manifest read from
 * {@code azblob://} and backups written there, with the storage connection string from rollgate's
 * settings. (Key Vault references in the one assembly: {@link AzureEmulatorPortIT}.)
 */
class AzureStoresAssemblyIT {

  private static final String CONTAINER = "deploy-config";
  private static final String MANIFEST =
      """
      version: 1
      apps:
        - name: orders
          image: shopacr.azurecr.io/orders
          environments:
            staging:
              target: { platform: memory, service: orders-staging }
              migrations:
                flyway: { locations: ["filesystem:%s"], database: "file:%s" }
              backup:
                schedule: every 1h
                retention: 3
                rpo: 24h
      """;

  private static Azurite azurite;
  private static BlobContainerClient container;

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
    azurite = Azurite.start();
    container =
        new BlobServiceClientBuilder()
            .connectionString(azurite.connectionString())
            .buildClient()
            .createBlobContainer(CONTAINER);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (azurite != null) {
      azurite.close();
    }
  }

  private static Map<String, String> settings(String manifest) {
    Map<String, String> s = new HashMap<>();
    s.put(AzureSettings.STORAGE_CONNECTION_STRING, azurite.connectionString());
    s.put("rollgate.manifest", manifest);
    s.put("rollgate.ledger-url", TestPostgres.freshDatabaseUrl());
    s.put("rollgate.backup-store", "azblob://" + Azurite.ACCOUNT + "/" + CONTAINER + "/backups");
    return s;
  }

  private static RollgateAssembler assembler(Map<String, String> s) {
    return RollgateAssembler.of(Settings.of(s::get))
        .extensions(List.of(new AzureExtension(), new MemoryExtension()));
  }

  @Test
  void assemble_shouldReadTheManifestAndWriteBackups_whenBothLiveInBlobStorage(@TempDir Path dir)
      throws Exception {
    // GIVEN a migrated database to back up, and the manifest naming it uploaded to Blob Storage
    Files.writeString(
        dir.resolve("V1__orders.sql"), "create table orders (id serial primary key, item text);");
    String db = TestPostgres.freshDatabaseUrl();
    Flyway.configure().dataSource(db, null, null).locations("filesystem:" + dir).load().migrate();
    try (Connection c = DriverManager.getConnection(db);
        Statement st = c.createStatement()) {
      st.executeUpdate("insert into orders (item) values ('tea'), ('cake')");
    }
    container
        .getBlobClient("rollgate.yaml")
        .upload(
            BinaryData.fromString(
                MANIFEST.formatted(dir, Files.writeString(dir.resolve("db"), db))));

    // WHEN rollgate is assembled from azblob:// and the backup timer fires
    try (Rollgate rollgate =
        assembler(settings("azblob://" + Azurite.ACCOUNT + "/" + CONTAINER + "/rollgate.yaml"))
            .assemble()) {
      FunctionResponse r = rollgate.backups().backup(FunctionRequest.of("{}"));

      // THEN the manifest is the uploaded one and the backup's files are blobs under the prefix
      assertEquals("orders", rollgate.manifest().apps().get(0).name());
      assertEquals(200, r.status(), r.body());
    }
    List<String> blobs = new ArrayList<>();
    for (BlobItem b : container.listBlobs()) {
      blobs.add(b.getName());
    }
    assertTrue(blobs.stream().anyMatch(n -> n.startsWith("backups/")), blobs.toString());
  }

  @Test
  void assemble_shouldNameTheLocationAndTheFix_whenTheManifestBlobIsMissing() {
    // GIVEN a manifest location where nothing is stored
    String missing = "azblob://" + Azurite.ACCOUNT + "/" + CONTAINER + "/missing/rollgate.yaml";

    // WHEN
    ManifestException e =
        assertThrows(ManifestException.class, () -> assembler(settings(missing)).assemble());

    // THEN the location, Azure's error code and the upload command are named; no secret leaks
    assertTrue(e.getMessage().contains(missing), e.getMessage());
    assertTrue(e.getMessage().contains("BlobNotFound"), e.getMessage());
    assertTrue(e.getMessage().contains("az storage blob upload"), e.getMessage());
    assertFalse(e.getMessage().contains(Azurite.KEY), e.getMessage());
  }
}
