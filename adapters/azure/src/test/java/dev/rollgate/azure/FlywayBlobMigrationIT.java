package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.MigrationRunner.MigrationException;
import dev.rollgate.migration.FlywayMigrationRunner;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's FlywayMigrationRunner with {@code azblob:} locations, read by this module's Flyway
 * plugin through azure-storage-blob on Azurite, against embedded PostgreSQL. Asserts what was
 * applied: a location nobody reads would otherwise look like success with nothing done.
 */
class FlywayBlobMigrationIT {

  private static final String CONTAINER = "rollgate-migrations";
  private static final String AT = Azurite.ACCOUNT + "/" + CONTAINER;

  private static Azurite azurite;

  @BeforeAll
  static void start() throws Exception {
    azurite = Azurite.start();
    BlobFlywayLocations.install(
        new BlobStorage(
            AzureSettings.defaults().withStorageConnectionString(azurite.connectionString())));
    BlobContainerClient container =
        new BlobServiceClientBuilder()
            .connectionString(azurite.connectionString())
            .buildClient()
            .createBlobContainer(CONTAINER);
    upload(
        container, "shop/v1/V1__create_orders.sql", "create table orders (id serial primary key);");
    upload(container, "shop/v1/V2__add_status.sql", "alter table orders add column status text;");
    // A neighbour whose name starts like the prefix: not part of shop/v1.
    upload(container, "shop/v10/V3__not_mine.sql", "x");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (azurite != null) {
      azurite.close();
    }
  }

  @Test
  void migrate_shouldApplyTheMigrationsInTheContainer_whenTheLocationIsAnAzblobPrefix()
      throws Exception {
    // GIVEN an empty database and the release's migrations under
    // azblob:<account>/<container>/shop/v1
    DataSource db = TestPostgres.freshDatabase();
    MigrationSpec spec = spec("azblob:" + AT + "/shop/{tag}");

    // WHEN it migrates twice, and once more through the URL form
    MigrationRunner.Result first = new FlywayMigrationRunner().migrate(spec, context(db));
    MigrationRunner.Result again =
        new FlywayMigrationRunner().migrate(spec("azblob://" + AT + "/shop/v1"), context(db));

    // THEN both migrations ran once (not a silent success with nothing applied)
    assertEquals(2, first.applied());
    assertEquals("2", first.schemaVersion());
    assertEquals(0, again.applied());
  }

  @Test
  void migrate_shouldFailNamingTheLocationAndFix_whenTheContainerDoesNotExist() throws Exception {
    // GIVEN a location in a container that does not exist (a typo)
    DataSource db = TestPostgres.freshDatabase();
    MigrationSpec spec = spec("azblob:" + AT + "-typo/shop/v1");

    // WHEN
    MigrationException e =
        assertThrows(
            MigrationException.class, () -> new FlywayMigrationRunner().migrate(spec, context(db)));

    // THEN it names the location, Azure's error code and the fix
    assertTrue(e.getMessage().contains(AT + "-typo/shop/v1/"), e.getMessage());
    assertTrue(e.getMessage().contains("ContainerNotFound"), e.getMessage());
    assertTrue(e.getMessage().contains("fix migrations.locations"), e.getMessage());
  }

  @Test
  void migrate_shouldFailInsteadOfSucceedingEmpty_whenNothingIsUnderThePrefix() throws Exception {
    // GIVEN a location under which nothing was uploaded
    DataSource db = TestPostgres.freshDatabase();
    MigrationSpec spec = spec("azblob:" + AT + "/shop/v9");

    // WHEN / THEN
    MigrationException e =
        assertThrows(
            MigrationException.class, () -> new FlywayMigrationRunner().migrate(spec, context(db)));
    assertTrue(e.getMessage().contains(AT + "/shop/v9"), e.getMessage());
  }

  private static void upload(BlobContainerClient container, String name, String sql) {
    container.getBlobClient(name).upload(BinaryData.fromString(sql));
  }

  private static MigrationSpec spec(String location) {
    return new MigrationSpec("flyway", List.of(location), new SecretRef("env", "SHOP_DB"));
  }

  private static MigrationRunner.Context context(DataSource db) throws SQLException {
    String name;
    try (Connection c = db.getConnection()) {
      name = c.getCatalog();
    }
    EnvSecretResolver secrets =
        new EnvSecretResolver(Map.of("SHOP_DB", TestPostgres.jdbcUrl(name))::get);
    ImageRef image = new ImageRef("shopacr.azurecr.io", "shop", "v1", Deployments.digest(1));
    return new MigrationRunner.Context("shop", "staging", "d-azblob", image, null, secrets, null);
  }
}
