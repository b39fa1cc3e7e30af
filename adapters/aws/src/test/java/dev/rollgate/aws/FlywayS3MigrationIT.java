package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.MigrationRunner.MigrationException;
import dev.rollgate.migration.FlywayMigrationRunner;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The core's FlywayMigrationRunner with {@code s3:} locations, which work when this module is on
 * the classpath (flyway-locations-s3 plus the SDK's s3), against moto's S3 and embedded PostgreSQL.
 * Asserts what was applied: without the SDK, Flyway finds nothing and still reports success.
 */
@ExtendWith(MotoServer.Extension.class)
class FlywayS3MigrationIT {

  private static S3Client setup;
  private static AwsAdapter aws;
  private static String bucket;

  @BeforeAll
  static void start(MotoServer moto) throws IOException {
    setup = moto.s3();
    aws = new AwsAdapter(moto.settings());
    aws.installFlywayS3Client();
    bucket = "migrations-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    setup.createBucket(b -> b.bucket(bucket));
    for (String file : List.of("V1__create_orders.sql", "V2__add_order_status.sql")) {
      try (InputStream in =
          FlywayS3MigrationIT.class.getResourceAsStream("/s3/migrations/v1/" + file)) {
        byte[] sql = in.readAllBytes();
        setup.putObject(b -> b.bucket(bucket).key("shop/v1/" + file), RequestBody.fromBytes(sql));
      }
    }
  }

  @AfterAll
  static void stop() {
    aws.close();
    setup.close();
  }

  @Test
  void migrate_shouldApplyTheMigrationsInS3_whenTheLocationIsAnS3Prefix() throws Exception {
    // GIVEN an empty database and the release's migrations under s3://<bucket>/shop/v1/
    DataSource db = TestPostgres.freshDatabase();
    MigrationRunner.Context context = context(db);
    MigrationSpec spec = spec("s3:" + bucket + "/shop/{tag}");

    // WHEN
    MigrationRunner.Result first = new FlywayMigrationRunner().migrate(spec, context);
    MigrationRunner.Result again = new FlywayMigrationRunner().migrate(spec, context);

    // THEN both migrations ran (not the silent success with nothing applied), then nothing more
    assertEquals(2, first.applied());
    assertTrue(first.applied() > 0);
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
  void migrate_shouldFailInsteadOfSucceedingEmpty_whenTheBucketDoesNotExist() throws Exception {
    // GIVEN a location in a bucket that does not exist (a typo)
    DataSource db = TestPostgres.freshDatabase();
    MigrationSpec spec = spec("s3:" + bucket + "-typo/shop/v1");

    // WHEN
    MigrationException e =
        assertThrows(
            MigrationException.class, () -> new FlywayMigrationRunner().migrate(spec, context(db)));

    // THEN the migration fails, naming the location, what S3 said and the fix
    assertTrue(e.failure(), e.getMessage());
    assertTrue(e.getMessage().contains("s3:" + bucket + "-typo/shop/v1"), e.getMessage());
    assertTrue(e.getMessage().contains("NoSuchBucket"), e.getMessage());
    assertTrue(e.getMessage().contains("fix migrations.locations"), e.getMessage());
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
    return new MigrationRunner.Context("shop", "staging", "d-s3", image, null, secrets, null);
  }
}
