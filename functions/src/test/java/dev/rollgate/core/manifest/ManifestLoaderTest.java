package dev.rollgate.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.EnvironmentSpec.DeployMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestLoaderTest {

  private static final String VALID =
      """
      version: 1
      promotion:
        token: env:PROMOTE_TOKEN
        allowOverride: true
      apps:
        - name: shop
          image: registry.example.com/team/shop
          environments:
            staging:
              target: { platform: local, service: shop-staging, command: "run {port}" }
              migrations:
                flyway:
                  locations: ["filesystem:db/{tag}"]
                  database: env:SHOP_DB
              health:
                url: "{url}/healthz"
                json: { field: status, equals: UP }
                interval: 500ms
                successThreshold: 2
            production:
              deploy: on-promotion
              from: staging
              target: { platform: local, service: shop-prod, command: "run {port}" }
      """;

  private static Manifest parse(String yaml) {
    return ManifestLoader.parse(yaml, "rollgate.yaml", Path.of("/base"));
  }

  private static ManifestException invalid(String yaml) {
    return assertThrows(ManifestException.class, () -> parse(yaml));
  }

  @Test
  void parse_shouldFlattenATargetMap_whenItHoldsSingleValues() {
    // GIVEN a target with an env map
    String yaml =
        VALID.replace(
            "shop-staging, command: \"run {port}\" }",
            "shop-staging, command: \"run {port}\", env: { LOG_LEVEL: debug, WORKERS: 4 } }");

    // WHEN
    TargetSpec target =
        parse(yaml).app("shop").orElseThrow().environment("staging").orElseThrow().target();

    // THEN each entry is a dotted setting, for the platform to validate
    assertEquals("debug", target.get("env.LOG_LEVEL"));
    assertEquals("4", target.get("env.WORKERS"));
  }

  @Test
  void parse_shouldNameTheEntry_whenATargetMapHoldsAList() {
    // GIVEN / WHEN
    ManifestException e =
        invalid(
            VALID.replace(
                "shop-staging, command: \"run {port}\" }",
                "shop-staging, command: \"run {port}\", env: { LIST: [a, b] } }"));

    // THEN
    assertTrue(
        e.getMessage().contains("apps[0].environments.staging.target.env.LIST: expected a single"),
        e.getMessage());
  }

  @Test
  void parse_shouldReadEverySetting_whenValid() {
    // GIVEN a valid manifest WHEN parsed
    Manifest m = parse(VALID);
    // THEN every setting is there, with defaults where the file is silent
    AppSpec shop = m.app("shop").orElseThrow();
    assertEquals("registry.example.com", shop.image().registry());
    assertEquals("team/shop", shop.image().repository());
    EnvironmentSpec staging = shop.environment("staging").orElseThrow();
    assertEquals(DeployMode.ON_PUSH, staging.deploy());
    assertEquals("shop-staging", staging.target().get("service"));
    assertEquals("env:SHOP_DB", staging.migrations().database().toString());
    assertEquals(Duration.ofMillis(500), staging.health().interval());
    assertEquals(2, staging.health().successThreshold());
    assertEquals(3, staging.health().failureThreshold());
    assertEquals("status", staging.health().jsonField());
    assertEquals("http://h:1/healthz", staging.health().resolveUrl("http://h:1"));
    EnvironmentSpec prod = shop.environment("production").orElseThrow();
    assertEquals(DeployMode.ON_PROMOTION, prod.deploy());
    assertEquals("staging", prod.from());
    assertEquals(HealthSpec.defaults(), prod.health());
    assertTrue(prod.rollbackOnFailure());
    assertTrue(m.promotion().allowOverride());
    assertEquals(Path.of("/base"), m.baseDir());
  }

  @Test
  void parse_shouldNameThePathOfEachProblem_whenInvalid() {
    // GIVEN a manifest with several mistakes
    String yaml =
        VALID
            .replace("interval: 500ms", "interval: soon")
            .replace("url: \"{url}/healthz\"", "url: localhost:8080/health")
            .replace("from: staging", "from: qa")
            .replace("database: env:SHOP_DB", "database: hunter2");
    // WHEN parsed THEN every problem is reported at once, each with its path
    ManifestException e = invalid(yaml);
    String all = String.join("\n", e.problems());
    assertTrue(
        all.contains("apps[0].environments.staging.health.interval: expected a duration"), all);
    assertTrue(
        all.contains("apps[0].environments.staging.health.url: not an absolute http(s) URL"), all);
    assertTrue(all.contains("apps[0].environments.production.from: unknown environment 'qa'"), all);
    assertTrue(
        all.contains(
            "apps[0].environments.staging.migrations.flyway.database: expected a secret reference"),
        all);
    assertEquals(4, e.problems().size(), all);
    assertTrue(e.getMessage().startsWith("rollgate.yaml is invalid (4 problems)"));
  }

  @Test
  void parse_shouldRefuse_whenKeysAreUnknownOrMissing() {
    // GIVEN a typo and a missing target
    String yaml =
        """
        apps:
          - name: shop
            image: team/shop
            environments:
              staging:
                deploi: on-push
        """;
    // WHEN parsed THEN both are named
    ManifestException e = invalid(yaml);
    assertTrue(
        e.problems()
            .contains(
                "apps[0].environments.staging.deploi: unknown key; expected one of deploy, from, target,"
                    + " migrations, health, rollback, backup, dora, strategy"),
        e.problems().toString());
    assertTrue(
        e.problems().stream()
            .anyMatch(p -> p.startsWith("apps[0].environments.staging.target: missing")));
  }

  @Test
  void parse_shouldRefuse_whenImageHasATagOrNamesAreInvalid() {
    ManifestException e =
        invalid(
            """
            apps:
              - name: Shop_1
                image: team/shop:latest
                environments:
                  staging: { target: { platform: local } }
            """);
    String all = String.join("\n", e.problems());
    assertTrue(all.contains("apps[0].name: names are lower-case"), all);
    assertTrue(all.contains("apps[0].image: name the repository only"), all);
  }

  @Test
  void parse_shouldRefuseRatherThanNormalise_whenTheImageIsUpperCaseSchemedOrPadded() {
    // GIVEN images a registry would not serve as written
    for (String image :
        new String[] {
          "registry.example.com/Team/Shop",
          "https://registry.example.com/team/shop",
          "\" team/shop\""
        }) {
      // WHEN parsed THEN each is a problem at apps[0].image, not silently rewritten
      ManifestException e =
          invalid(VALID.replace("image: registry.example.com/team/shop", "image: " + image));
      String all = String.join("\n", e.problems());
      assertTrue(all.contains("apps[0].image: "), image + ": " + all);
    }
  }

  @Test
  void parse_shouldRefuse_whenTheRegistryIsUpperCaseOrNoHost() {
    // GIVEN registries the event decoders would lower-case or refuse: an app naming one as written
    // would never follow a push
    for (String image :
        new String[] {"Registry.Example.com/team/shop", "registry_example.com:x/team/shop"}) {
      // WHEN parsed THEN each is a problem at apps[0].image naming the registry host rule
      ManifestException e =
          invalid(VALID.replace("image: registry.example.com/team/shop", "image: " + image));
      String all = String.join("\n", e.problems());
      assertTrue(all.contains("apps[0].image: not a registry host"), image + ": " + all);
    }
  }

  @Test
  void parse_shouldRefuse_whenDeadlineCannotBeMet() {
    ManifestException e =
        invalid(
            VALID.replace("successThreshold: 2", "successThreshold: 2\n          deadline: 100ms"));
    assertTrue(
        e.problems().get(0).contains("health.deadline: shorter than successThreshold x interval"));
  }

  @Test
  void parse_shouldRefuse_whenNotYamlOrEmpty() {
    assertTrue(invalid("apps: [").getMessage().contains("not valid YAML"));
    assertEquals("$: empty: expected a mapping", invalid("").problems().get(0));
    assertEquals(
        "apps: missing: list the apps rollgate deploys", invalid("version: 1").problems().get(0));
  }

  @Test
  void parse_shouldRefuse_whenOnPromotionHasNoSource() {
    ManifestException e = invalid(VALID.replace("        from: staging\n", ""));
    assertEquals(
        "apps[0].environments.production.from: missing: an on-promotion environment names where"
            + " it comes from",
        e.problems().get(0));
  }

  private static final String FLYWAY_STAGING =
      "flyway:\n            locations: [\"filesystem:db/{tag}\"]\n            database: env:SHOP_DB";

  @Test
  void parse_shouldReadAJobMigration_whenJobNamesCommandArgsEnvAndTimeout() {
    // GIVEN a job migration in staging
    String yaml =
        VALID.replace(
            FLYWAY_STAGING,
            "job: { command: [alembic, upgrade], args: [head], env: { LOG: debug, N: 4 },"
                + " timeout: 2m }");

    // WHEN
    Manifest m = parse(yaml);

    // THEN it is a job with its settings, and nothing is deprecated
    MigrationSpec job = m.environment("shop", "staging").orElseThrow().migrations();
    assertEquals(MigrationSpec.JOB, job.tool());
    assertTrue(job.isJob());
    assertEquals(List.of("alembic", "upgrade"), job.command());
    assertEquals(List.of("head"), job.args());
    assertEquals(List.of("alembic", "upgrade", "head"), job.commandLine());
    assertEquals(Map.of("LOG", "debug", "N", "4"), job.env());
    assertEquals(Duration.ofMinutes(2), job.timeout());
    assertEquals(List.of(), m.warnings());
  }

  @Test
  void parse_shouldDefaultTheJobTimeoutToTenMinutes_whenNoneIsGiven() {
    // GIVEN / WHEN
    MigrationSpec job =
        parse(VALID.replace(FLYWAY_STAGING, "job: { command: [migrate] }"))
            .environment("shop", "staging")
            .orElseThrow()
            .migrations();

    // THEN
    assertEquals(Duration.ofMinutes(10), job.timeout());
    assertEquals(List.of(), job.args());
  }

  @Test
  void parse_shouldLoadEcsTaskAsAJobWithAWarning_whenTheDeprecatedAliasIsUsed() {
    // GIVEN the old AWS-shaped key
    String yaml = VALID.replace(FLYWAY_STAGING, "ecsTask: { command: [alembic, upgrade, head] }");

    // WHEN
    Manifest m = parse(yaml);

    // THEN it loads as a job, and a warning names the new form
    MigrationSpec job = m.environment("shop", "staging").orElseThrow().migrations();
    assertEquals(MigrationSpec.JOB, job.tool());
    assertEquals(List.of("alembic", "upgrade", "head"), job.command());
    assertEquals(1, m.warnings().size());
    assertTrue(
        m.warnings().get(0).startsWith("apps[0].environments.staging.migrations.ecsTask:")
            && m.warnings().get(0).contains("job:"),
        m.warnings().get(0));
  }

  @Test
  void parse_shouldLeaveTheSchemeToTheAdapters_whenALocationHasTheSchemeShape() {
    // GIVEN Flyway from a gs: location, which no core rule knows
    String yaml =
        VALID.replace(
            "target: { platform: local, service: shop-prod, command: \"run {port}\" }",
            "target: { platform: local, service: shop-prod, command: \"run {port}\" }\n"
                + "        migrations: { flyway: { locations: [\"gs:bucket/db\"], database:"
                + " env:DB } }");

    // WHEN parsed THEN it loads: the installed adapters decide at assembly
    assertEquals(
        List.of("gs:bucket/db"),
        parse(yaml).environment("shop", "production").orElseThrow().migrations().locations());
  }

  @Test
  void parse_shouldRefuse_whenALocationHasNoScheme() {
    // GIVEN / WHEN
    ManifestException e = invalid(VALID.replace("\"filesystem:db/{tag}\"", "\"db/migration\""));

    // THEN
    assertEquals(
        "apps[0].environments.staging.migrations.flyway.locations[0]: expected a location"
            + " 'scheme:path', e.g. filesystem:db/migration, got 'db/migration'",
        e.problems().get(0));
  }

  @Test
  void parse_shouldRefuse_whenFlywayAndAJobAreBothNamed() {
    // GIVEN / WHEN
    ManifestException e =
        invalid(
            VALID.replace(FLYWAY_STAGING, FLYWAY_STAGING + "\n          job: { command: [m] }"));

    // THEN
    assertEquals(
        "apps[0].environments.staging.migrations: name one migration tool: flyway or job",
        e.problems().get(0));
  }

  @Test
  void parse_shouldRefuse_whenAJobHasNoCommand() {
    String yaml = VALID.replace(FLYWAY_STAGING, "job: { command: [] }");
    assertEquals(
        "apps[0].environments.staging.migrations.job.command: expected a non-empty list, e.g."
            + " [alembic, upgrade, head]",
        invalid(yaml).problems().get(0));
  }

  @Test
  void parse_shouldNameThePath_whenAJobTimeoutOrEnvIsMalformed() {
    // GIVEN / WHEN
    ManifestException e =
        invalid(
            VALID.replace(
                FLYWAY_STAGING, "job: { command: [m], timeout: soon, env: { A: [1] }, args: x }"));

    // THEN
    assertTrue(
        e.problems()
            .containsAll(
                List.of(
                    "apps[0].environments.staging.migrations.job.args: expected a list, e.g."
                        + " [--to, latest]",
                    "apps[0].environments.staging.migrations.job.env.A: expected a single value",
                    "apps[0].environments.staging.migrations.job.timeout: expected a duration"
                        + " like 500ms, 2s, 1m, got 'soon'")),
        e.problems().toString());
  }
}
