package dev.rollgate.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.BackupSpec.Expectation;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupManifestTest {

  private static final String HEAD =
      """
      version: 1
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
      """;

  private static Manifest parse(String backupYaml) {
    return ManifestLoader.parse(HEAD + backupYaml, "rollgate.yaml", Path.of("/base"));
  }

  private static List<String> problems(String yaml) {
    return assertThrows(
            ManifestException.class,
            () -> ManifestLoader.parse(yaml, "rollgate.yaml", Path.of("/base")))
        .problems();
  }

  private static BackupSpec staging(Manifest m) {
    return m.environment("shop", "staging").orElseThrow().backup();
  }

  @Test
  void parse_shouldReadEveryBackupSetting_whenGiven() {
    // GIVEN an environment with every backup setting
    String yaml =
        """
                backup:
                  database: env:SHOP_BACKUP_DB
                  schedule: every 6h
                  verifySchedule: every 1d
                  retention: 3
                  rpo: 12h
                  verify:
                    - sql: select count(*) from orders where created_at > now() - interval '1 day'
                      expect: "> 0"
                    - { sql: "select count(*) from customers", expect: ">= 1" }
                    - { sql: "select 5", expect: 5 }
        """;

    // WHEN parsed
    BackupSpec b = staging(parse(yaml));

    // THEN each setting is there
    assertEquals("env:SHOP_BACKUP_DB", b.database().toString());
    assertEquals(Duration.ofHours(6), b.schedule());
    assertEquals(Duration.ofDays(1), b.verifySchedule());
    assertEquals(3, b.retention());
    assertEquals(Duration.ofHours(12), b.rpo());
    assertEquals(3, b.verify().size());
    assertEquals(
        "select count(*) from orders where created_at > now() - interval '1 day'",
        b.verify().get(0).sql());
    assertEquals(new Expectation(">", BigDecimal.ZERO), b.verify().get(0).expect());
    assertEquals(">= 1", b.verify().get(1).expect().toString());
    assertEquals("= 5", b.verify().get(2).expect().toString());
  }

  @Test
  void parse_shouldUseDefaults_whenOnlyRpoIsGiven() {
    // GIVEN a backup section with the RPO only WHEN parsed
    BackupSpec b = staging(parse("        backup: { rpo: 48h }\n"));

    // THEN the database is the migrations' and the schedules and retention are the defaults
    assertEquals("env:SHOP_DB", b.database().toString());
    assertEquals(Duration.ofHours(24), b.schedule());
    assertEquals(Duration.ofHours(24), b.verifySchedule());
    assertEquals(7, b.retention());
    assertEquals(List.of(), b.verify());
  }

  @Test
  void parse_shouldHaveNoBackup_whenSectionIsAbsent() {
    // GIVEN no backup section WHEN parsed THEN the environment has no backup settings
    assertNull(staging(parse("")));
  }

  @Test
  void parse_shouldNameThePathOfEachProblem_whenBackupSettingsAreInvalid() {
    // GIVEN a backup section with a mistake in every setting
    String yaml =
        HEAD
            + """
                    backup:
                      database: SHOP_DB
                      schedule: 6h
                      verifySchedule: every soon
                      retention: 0
                      rpo: a day
                      colour: blue
                      verify:
                        - sql: select 1
                          expect: about five
                        - expect: "> 0"
                        - select 1
            """;

    // WHEN parsed THEN every problem is reported with its path
    List<String> problems = problems(yaml);
    String p = "apps[0].environments.staging.backup";
    assertTrue(
        problems.contains(
            p
                + ".database: expected a secret reference scheme:name, e.g."
                + " env:MY_SECRET (not the secret)"),
        problems.toString());
    assertTrue(
        problems.contains(
            p
                + ".schedule: expected 'every' and a duration, e.g. every 6h,"
                + " every 30m, every 1d"),
        problems.toString());
    assertTrue(
        problems.contains(p + ".verifySchedule: expected a duration like 30m, 6h, 7d, got 'soon'"),
        problems.toString());
    assertTrue(
        problems.contains(
            p + ".retention: must be at least 1 (how many of the newest" + " backups to keep)"),
        problems.toString());
    assertTrue(
        problems.contains(p + ".rpo: expected a duration like 30m, 6h, 7d, got 'a day'"),
        problems.toString());
    assertTrue(
        problems.contains(
            p
                + ".colour: unknown key; expected one of database, schedule,"
                + " verifySchedule, retention, rpo, verify"),
        problems.toString());
    assertTrue(
        problems.stream()
            .anyMatch(
                s ->
                    s.startsWith(p + ".verify[0].expect: expected a" + " comparison with a number")
                        && s.endsWith("got 'about five'")),
        problems.toString());
    assertTrue(problems.contains(p + ".verify[1].sql: missing"), problems.toString());
    assertTrue(problems.contains(p + ".verify[2]: expected a mapping"), problems.toString());
    assertEquals(9, problems.size(), problems.toString());
  }

  @Test
  void parse_shouldRefuse_whenRpoIsMissingOrShorterThanSchedule() {
    // GIVEN a backup without RPO, and one whose RPO cannot be met WHEN parsed THEN refused
    String p = "apps[0].environments.staging.backup";
    assertEquals(
        List.of(
            p
                + ".rpo: missing: the recovery point objective, e.g. 24h: how old the newest"
                + " verified backup may get"),
        problems(HEAD + "        backup: { schedule: every 6h }\n"));
    assertEquals(
        List.of(
            p
                + ".rpo: shorter than the schedule (every 6h): the newest verified backup"
                + " would always be too old"),
        problems(HEAD + "        backup: { schedule: every 6h, rpo: 2h }\n"));
  }

  @Test
  void parse_shouldRefuse_whenEnvironmentHasNoMigrations() {
    // GIVEN an environment with backups but no migrations to rebuild the schema
    String yaml =
        """
        apps:
          - name: shop
            image: shop
            environments:
              staging:
                target: { platform: local, service: s, command: c }
                backup: { rpo: 24h }
        """;

    // WHEN parsed THEN both the missing database and the missing migrations are named
    assertEquals(
        List.of(
            "apps[0].environments.staging.backup.database: missing: name the secret holding the"
                + " database's JDBC URL, e.g. env:SHOP_DB",
            "apps[0].environments.staging.backup: needs migrations.flyway in this environment: a"
                + " restore rebuilds the schema with the app's migrations, then loads the data"),
        problems(yaml));
  }

  @Test
  void expectation_shouldCompareNumbers_whenParsed() {
    // GIVEN each operator WHEN parsed and tested THEN the comparison holds as written
    assertTrue(Expectation.parse("> 0").test(BigDecimal.ONE));
    assertFalse(Expectation.parse(">0").test(BigDecimal.ZERO));
    assertTrue(Expectation.parse(">= 1").test(BigDecimal.ONE));
    assertTrue(Expectation.parse("= 5").test(new BigDecimal("5.0")));
    assertTrue(Expectation.parse("== 5").test(new BigDecimal("5")));
    assertTrue(Expectation.parse("!= 0").test(BigDecimal.TEN));
    assertTrue(Expectation.parse("<> 0").test(BigDecimal.TEN));
    assertTrue(Expectation.parse("< 10").test(new BigDecimal("-1")));
    assertTrue(Expectation.parse("<= 2.5").test(new BigDecimal("2.5")));
    assertEquals("!= 0", Expectation.parse("<> 0").toString());
    assertNull(Expectation.parse("about 5"));
    assertNull(Expectation.parse("> five"));
    assertNull(Expectation.parse(""));
  }
}
