package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.MigrationRunner.MigrationException;
import dev.rollgate.gcp.emulator.StorageFake;
import dev.rollgate.migration.FlywayMigrationRunner;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.TestPostgres;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's FlywayMigrationRunner with {@code gs:} locations, read by this module's Flyway plugin
 * through google-cloud-storage on the Cloud Storage fake, against embedded PostgreSQL. Asserts what
 * was applied: a location nobody reads would otherwise look like success with nothing done.
 */
class FlywayGsMigrationIT {

  private static final String BUCKET = "rollgate-migrations";

  private static StorageFake fake;
  private static GcsStorage storage;

  @BeforeAll
  static void start() throws Exception {
    fake = StorageFake.onPort(0);
    storage = new GcsStorage(fake.host(), "rollgate-test");
    GcsFlywayLocations.install(storage);
    storage.get().create(BucketInfo.of(BUCKET));
    for (String file : List.of("V1__create_orders.sql", "V2__add_order_status.sql")) {
      try (InputStream in =
          FlywayGsMigrationIT.class.getResourceAsStream("/gs/migrations/v1/" + file)) {
        storage
            .get()
            .create(BlobInfo.newBuilder(BUCKET, "shop/v1/" + file).build(), in.readAllBytes());
      }
    }
    // A neighbour whose name starts like the prefix: not part of shop/v1.
    storage
        .get()
        .create(BlobInfo.newBuilder(BUCKET, "shop/v10/V3__not_mine.sql").build(), new byte[] {'x'});
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    fake.close();
  }

  @Test
  void migrate_shouldApplyTheMigrationsInTheBucket_whenTheLocationIsAGsPrefix() throws Exception {
    // GIVEN an empty database and the release's migrations under gs:<bucket>/shop/v1/
    DataSource db = TestPostgres.freshDatabase();
    MigrationRunner.Context context = context(db);
    MigrationSpec spec = spec("gs:" + BUCKET + "/shop/{tag}");

    // WHEN
    MigrationRunner.Result first = new FlywayMigrationRunner().migrate(spec, context);
    MigrationRunner.Result again = new FlywayMigrationRunner().migrate(spec, context);

    // THEN both migrations ran (not a silent success with nothing applied), then nothing more
    assertEquals(2, first.applied());
    assertEquals("2", first.schemaVersion());
    assertEquals(0, again.applied());
    try (Connection c = db.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select column_name from information_schema.columns"
                        + " where table_name = 'orders' and column_name = 'status'")) {
      assertTrue(rs.next(), "V2 added orders.status");
    }
  }

  @Test
  void migrate_shouldReadTheUrlForm_whenTheLocationIsWrittenGsSlashSlash() throws Exception {
    // GIVEN the same migrations named as gs://bucket/prefix
    DataSource db = TestPostgres.freshDatabase();

    // WHEN
    MigrationRunner.Result result =
        new FlywayMigrationRunner().migrate(spec("gs://" + BUCKET + "/shop/v1"), context(db));

    // THEN
    assertEquals(2, result.applied());
  }

  @Test
  void migrate_shouldFailNamingTheLocationAndFix_whenTheBucketDoesNotExist() throws Exception {
    // GIVEN a location in a bucket that does not exist (a typo)
    DataSource db = TestPostgres.freshDatabase();
    MigrationSpec spec = spec("gs:" + BUCKET + "-typo/shop/v1");

    // WHEN
    MigrationException e =
        assertThrows(
            MigrationException.class, () -> new FlywayMigrationRunner().migrate(spec, context(db)));

    // THEN the migration fails, naming the location, what Cloud Storage said and the fix
    assertTrue(e.failure(), e.getMessage());
    assertTrue(e.getMessage().contains("gs:" + BUCKET + "-typo/shop/v1/"), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    assertTrue(e.getMessage().contains("fix migrations.locations"), e.getMessage());
  }

  @Test
  void migrate_shouldFailInsteadOfSucceedingEmpty_whenNothingIsUnderThePrefix() throws Exception {
    // GIVEN a location under which nothing was uploaded (a tag with no migrations)
    DataSource db = TestPostgres.freshDatabase();
    MigrationSpec spec = spec("gs:" + BUCKET + "/shop/v9");

    // WHEN
    MigrationException e =
        assertThrows(
            MigrationException.class, () -> new FlywayMigrationRunner().migrate(spec, context(db)));

    // THEN
    assertTrue(e.getMessage().contains("gs:" + BUCKET + "/shop/v9"), e.getMessage());
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
    ImageRef image = new ImageRef("registry.test", "team/shop", "v1", Deployments.digest(1));
    return new MigrationRunner.Context("shop", "staging", "d-gs", image, null, secrets, null);
  }
}
