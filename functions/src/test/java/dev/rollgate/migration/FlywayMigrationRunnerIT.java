package dev.rollgate.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.MigrationRunner.Context;
import dev.rollgate.core.port.MigrationRunner.MigrationException;
import dev.rollgate.core.port.MigrationRunner.Result;
import dev.rollgate.secrets.EnvSecretResolver;
import io.zonky.test.db.postgres.junit5.EmbeddedPostgresExtension;
import io.zonky.test.db.postgres.junit5.SingleInstancePostgresExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class FlywayMigrationRunnerIT {

  @RegisterExtension
  static SingleInstancePostgresExtension pg = EmbeddedPostgresExtension.singleInstance();

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String PASSWORD = "hunter2-not-for-logs";
  private static final SecretRef DB = new SecretRef("env", "SHOP_DB_URL");
  private static final ImageRef IMAGE = ImageRef.parse("registry.example.com/shop:1.4.2");

  @TempDir Path baseDir;

  private final FlywayMigrationRunner runner = new FlywayMigrationRunner();
  private final Map<String, String> env = new HashMap<>();
  private String database;

  @Test
  void migrate_shouldApplyAllAndReportVersion_whenLocationUsesPlaceholdersAndRelativePath()
      throws Exception {
    // GIVEN two migrations shipped under migrations/<app>/<tag> next to the manifest
    write("migrations/shop/1.4.2/V1__customers.sql", "create table customers (id int);");
    write("migrations/shop/1.4.2/V2__orders.sql", "create table orders (id int);");

    // WHEN the release is migrated
    Result result = runner.migrate(spec("filesystem:migrations/{app}/{tag}"), context());

    // THEN both are applied and the schema is at version 2
    assertEquals(new Result("2", 2), result);
    assertEquals(
        1, count("select count(*) from information_schema.tables where table_name = 'orders'"));
    assertEquals("flyway", runner.tool());
  }

  @Test
  void migrate_shouldApplyNothingAndKeepVersion_whenRunTwice() throws Exception {
    // GIVEN a database already migrated to version 2
    write("db/V1__a.sql", "create table a (id int);");
    write("db/V2__b.sql", "create table b (id int);");
    runner.migrate(spec("filesystem:db"), context());

    // WHEN the same release is migrated again
    Result again = runner.migrate(spec("filesystem:db"), context());

    // THEN nothing is applied and the version stays
    assertEquals(new Result("2", 0), again);
  }

  @Test
  void migrate_shouldFailWithDatabaseMessageAndApplyNothingOfIt_whenSqlIsBad() throws Exception {
    // GIVEN a good migration and a bad one that creates a table before its syntax error
    write("db/V1__a.sql", "create table a (id int);");
    write("db/V2__bad.sql", "create table half (id int);\ncreate tablex oops (id int);");

    // WHEN the release is migrated
    MigrationException e =
        assertThrows(
            MigrationException.class, () -> runner.migrate(spec("filesystem:db"), context()));

    // THEN it is a failure in a line or two, quoting PostgreSQL, without the URL or password
    assertTrue(e.failure());
    assertTrue(e.getMessage().startsWith("flyway: "), e.getMessage());
    assertTrue(e.getMessage().contains("V2__bad.sql"), e.getMessage());
    assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
    assertTrue(e.getMessage().contains("SQL State 42601, line 2"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertNoSecret(e);
    // AND V2 left nothing behind: PostgreSQL rolled its transaction back
    assertEquals(
        0, count("select count(*) from information_schema.tables where table_name = 'half'"));
    assertEquals(List.of("1"), appliedVersions());
  }

  @Test
  void migrate_shouldFailValidationBeforeApplyingNew_whenAppliedMigrationWasEdited()
      throws Exception {
    // GIVEN version 1 applied, then edited, and a new version 2 pending
    Path v1 = write("db/V1__a.sql", "create table a (id int);");
    runner.migrate(spec("filesystem:db"), context());
    write(v1, "create table a (id int, name text);");
    write("db/V2__b.sql", "create table b (id int);");

    // WHEN the release is migrated
    MigrationException e =
        assertThrows(
            MigrationException.class, () -> runner.migrate(spec("filesystem:db"), context()));

    // THEN validation fails naming the checksum mismatch, and version 2 was not applied
    assertTrue(e.failure());
    assertTrue(
        e.getMessage().startsWith("flyway: validation of env:SHOP_DB_URL failed"), e.getMessage());
    assertTrue(e.getMessage().toLowerCase().contains("checksum mismatch"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertEquals(0, count("select count(*) from information_schema.tables where table_name = 'b'"));
    assertEquals(List.of("1"), appliedVersions());
  }

  @Test
  void migrate_shouldFailNamingLocation_whenFilesystemLocationIsMissing() {
    // GIVEN a release whose tag has no migrations directory
    MigrationSpec spec = spec("filesystem:migrations/{tag}");

    // WHEN it is migrated
    MigrationException e =
        assertThrows(MigrationException.class, () -> runner.migrate(spec, context()));

    // THEN it is a failure naming the location as written and as resolved
    assertTrue(e.failure());
    assertTrue(e.getMessage().contains("'filesystem:migrations/{tag}'"), e.getMessage());
    assertTrue(
        e.getMessage().contains(baseDir.resolve("migrations/1.4.2").toString()), e.getMessage());
  }

  @Test
  void migrate_shouldFail_whenTheLocationHoldsNoMigration() throws Exception {
    // GIVEN a location that exists but is empty (as an s3: prefix read without the SDK looks)
    Files.createDirectories(baseDir.resolve("db"));
    Context context = context();
    // WHEN migrated THEN it fails instead of reporting success with nothing applied
    MigrationException e =
        assertThrows(
            MigrationException.class, () -> runner.migrate(spec("filesystem:db"), context));
    assertTrue(e.failure());
    assertTrue(e.getMessage().contains("no migrations found in filesystem:"), e.getMessage());
  }

  @Test
  void migrate_shouldBeAConfigurationErrorNamingReference_whenSecretIsMissing() throws Exception {
    // GIVEN migrations but no database URL in the environment
    write("db/V1__a.sql", "create table a (id int);");
    Context context = context();
    env.remove(DB.name());

    // WHEN the release is migrated
    MigrationException e =
        assertThrows(
            MigrationException.class, () -> runner.migrate(spec("filesystem:db"), context));

    // THEN it is a configuration error (not the release's failure) naming the reference and how
    // to provide it
    assertFalse(e.failure());
    assertTrue(e.configuration(), e.getMessage());
    assertTrue(e.getMessage().contains("'env:SHOP_DB_URL' is not set"), e.getMessage());
    assertTrue(e.getMessage().contains("set the environment variable SHOP_DB_URL"), e.getMessage());
  }

  @Test
  void migrate_shouldBeAConfigurationError_whenTheReleaseHasNoTagForTheLocation() throws Exception {
    // GIVEN a location with {tag}, and a release pushed without a tag
    Context tagged = context();
    Context untagged =
        new Context(
            tagged.app(),
            tagged.environment(),
            tagged.deploymentId(),
            IMAGE.withTag(null),
            tagged.baseDir(),
            tagged.secrets(),
            tagged.target());
    // WHEN migrated
    MigrationException e =
        assertThrows(
            MigrationException.class,
            () -> runner.migrate(spec("filesystem:releases/{tag}"), untagged));
    // THEN the manifest is to blame, not the release
    assertTrue(e.configuration(), e.getMessage());
    assertFalse(e.failure(), e.getMessage());
    assertTrue(e.getMessage().contains("uses {tag} but this release has no tag"), e.getMessage());
  }

  @Test
  void migrate_shouldBeAConfigurationErrorWithoutTheValue_whenTheSchemeIsUnknown()
      throws Exception {
    // GIVEN a literal URL where a secret reference belongs
    write("db/V1__a.sql", "create table a (id int);");
    Context context = context();
    MigrationSpec literal =
        new MigrationSpec(
            "flyway",
            List.of("filesystem:db"),
            SecretRef.parse("postgresql://u:" + PASSWORD + "@h/db"));
    // WHEN migrated
    MigrationException e =
        assertThrows(MigrationException.class, () -> runner.migrate(literal, context));
    // THEN a configuration error that does not echo the value
    assertTrue(e.configuration(), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
  }

  @Test
  void migrate_shouldBeRetryableWithoutUrl_whenDatabaseRefusesConnections() throws Exception {
    // GIVEN a database URL pointing at a closed port
    write("db/V1__a.sql", "create table a (id int);");
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Context context = context();
    env.put(DB.name(), "jdbc:postgresql://127.0.0.1:" + port + "/shop?user=u&password=" + PASSWORD);

    // WHEN the release is migrated
    MigrationException e =
        assertThrows(
            MigrationException.class, () -> runner.migrate(spec("filesystem:db"), context));

    // THEN it is a fault to retry, naming the reference and not the URL
    assertFalse(e.failure(), e.getMessage());
    assertTrue(e.getMessage().contains("env:SHOP_DB_URL"), e.getMessage());
    assertFalse(e.getMessage().contains("127.0.0.1:" + port + "/shop"), e.getMessage());
    assertNoSecret(e);
  }

  @Test
  void migrate_shouldApplyClasspathMigrations_whenLocationIsOnClasspath() throws Exception {
    // GIVEN the test resources' db/testapp
    MigrationSpec spec = spec("classpath:db/testapp");

    // WHEN it is migrated
    Result result = runner.migrate(spec, context());

    // THEN its single migration is applied
    assertEquals(new Result("1", 1), result);
    assertEquals(1, count("select count(*) from information_schema.tables where table_name = 't'"));
  }

  @Test
  void migrate_shouldFail_whenClasspathLocationIsMissing() {
    // GIVEN a classpath location nobody ships
    MigrationSpec spec = spec("classpath:db/nothing-here");

    // WHEN it is migrated
    MigrationException e =
        assertThrows(MigrationException.class, () -> runner.migrate(spec, context()));

    // THEN Flyway's refusal is a failure naming the location
    assertTrue(e.failure(), e.getMessage());
    assertTrue(e.getMessage().contains("db/nothing-here"), e.getMessage());
  }

  private MigrationSpec spec(String location) {
    return new MigrationSpec("flyway", List.of(location), DB);
  }

  /**
   * A fresh database per test; created on first use because the extension starts PostgreSQL just
   * before the test body, after {@code @BeforeEach}.
   */
  private Context context() throws SQLException {
    if (database == null) {
      database = "shop_" + DATABASES.incrementAndGet();
      try (Connection c = pg.getEmbeddedPostgres().getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("create database " + database);
      }
      // Trust authentication ignores the password; it is here to prove it never leaks.
      env.put(
          DB.name(),
          pg.getEmbeddedPostgres().getJdbcUrl("postgres", database) + "&password=" + PASSWORD);
    }
    return new Context(
        "shop", "staging", "dep-1", IMAGE, baseDir, new EnvSecretResolver(env::get), null);
  }

  private Path write(String relative, String sql) throws IOException {
    return write(baseDir.resolve(relative), sql);
  }

  private static Path write(Path file, String sql) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, sql);
    return file;
  }

  private static void assertNoSecret(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(PASSWORD), t.getMessage());
    }
  }

  private int count(String sql) throws SQLException {
    try (Connection c = pg.getEmbeddedPostgres().getDatabase("postgres", database).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private List<String> appliedVersions() throws SQLException {
    try (Connection c = pg.getEmbeddedPostgres().getDatabase("postgres", database).getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select version from flyway_schema_history where success order by installed_rank")) {
      List<String> versions = new ArrayList<>();
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
      return versions;
    }
  }
}
