package dev.rollgate.core.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.backup.BackupService.Due;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.model.VerificationRecord;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.DatabaseInspector.State;
import dev.rollgate.core.port.Notifier;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.FakeClock;
import dev.rollgate.testing.FakeSnapshotter;
import dev.rollgate.testing.InMemoryBackupCatalog;
import dev.rollgate.testing.InMemoryLedger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupServiceTest {

  private static final String DB_URL = "jdbc:postgresql://db:5432/shop?password=s3cret";

  private static final String MANIFEST =
      """
apps:
  - name: shop
    image: localhost:5000/demo/shop
    environments:
      staging:
        target: { platform: local, service: shop-staging, command: run }
        migrations:
          flyway: { locations: ["filesystem:releases/{tag}/migrations"], database: env:SHOP_DB }
        backup:
          schedule: every 6h
          verifySchedule: every 12h
          retention: 2
          rpo: 24h
          verify:
            - { sql: "select count(*) from orders", expect: "> 0" }
      production:
        target: { platform: local, service: shop-production, command: run }
""";

  private final FakeClock clock = new FakeClock();
  private final InMemoryLedger ledger = new InMemoryLedger();
  private final InMemoryBackupCatalog catalog = new InMemoryBackupCatalog();
  private final FakeSnapshotter snapshotter =
      new FakeSnapshotter(clock).answer("select count(*) from orders", "5");
  private final List<String> alerts = new ArrayList<>();
  private final Manifest manifest =
      ManifestLoader.parse(MANIFEST, "rollgate.yaml", Path.of("/srv/demo"));
  private final BackupService service =
      new BackupService(
          manifest,
          ledger,
          new EnvSecretResolver(Map.of("SHOP_DB", DB_URL)::get),
          snapshotter,
          snapshotter.inspector(),
          catalog,
          new Notifier() {
            @Override
            public void notify(Deployment d, String message) {
              alerts.add("unexpected deployment notice: " + message);
            }

            @Override
            public void alert(String app, String environment, String subject, String message) {
              alerts.add(
                  "backup:" + app + "/" + environment + "/" + subject + " FAILED: " + message);
            }
          },
          clock);

  private static final String V2_MIGRATIONS = "filesystem:/srv/demo/releases/v2/migrations";
  private static final String V3_MIGRATIONS = "filesystem:/srv/demo/releases/v3/migrations";

  private void deployed(String tag, String schemaVersion) {
    deployed(tag, schemaVersion, Phase.SUCCEEDED);
  }

  private void deployed(String tag, String schemaVersion, Phase phase) {
    ledger.record(
        "push-" + tag + "-" + ledger.deployments("shop", "staging", 100).size(),
        "test",
        clock.now(),
        List.of(
            Deployments.aDeployment()
                .image(Deployments.image(tag, tag.hashCode()))
                .schemaVersion(schemaVersion)
                .phase(phase)
                .build()));
  }

  /** v3 migrated to 3 and was rolled back; v2 was deployed again on the schema v3 left. */
  private void rolledBackMigrationThenRedeployOfV2() {
    deployed("v1", "1");
    deployed("v2", "2");
    deployed("v3", "3", Phase.ROLLED_BACK);
    deployed("v2", "3");
  }

  @Test
  void backup_shouldRecordTheMigrationsThatBroughtTheSchema_whenAnOlderReleaseWasRedeployed()
      throws Exception {
    // GIVEN v3's migration ran (schema 3), its rollout was rolled back, and v2 deployed again
    rolledBackMigrationThenRedeployOfV2();
    snapshotter.rebuildsOnlyWith(V3_MIGRATIONS);

    // WHEN a backup is taken and verified
    service.backup("shop", "staging");
    VerificationReport report = service.verify("shop", "staging");

    // THEN the backup recorded v3's migrations, which rebuild schema 3, and its restore test passed
    assertEquals(List.of(V3_MIGRATIONS), snapshotter.requests().get(0).schemaLocations());
    assertTrue(report.passed(), report.toString());
    assertEquals(List.of(), alerts);
  }

  @Test
  void backup_shouldRecordTheNewestRelease_whenLaterReleasesAddedNoMigration() throws Exception {
    // GIVEN v2 migrated to 2, and v3 and v4 came after it without a migration of their own
    deployed("v1", "1");
    deployed("v2", "2");
    deployed("v3", "2");
    deployed("v4", "2", Phase.FAILED);

    // WHEN a backup is taken
    service.backup("shop", "staging");

    // THEN the newest release at that version gives the locations (its migrations reach it too)
    assertEquals(
        List.of("filesystem:/srv/demo/releases/v4/migrations"),
        snapshotter.requests().get(0).schemaLocations());
  }

  @Test
  void verify_shouldRestoreWithTheMigrationsThatBroughtTheSchema_whenTheBackupRecordedOthers()
      throws Exception {
    // GIVEN the same history, and a backup that recorded v2's migrations for schema 3 (as
    // backups taken before the ledger's history was consulted did)
    rolledBackMigrationThenRedeployOfV2();
    snapshotter.rebuildsOnlyWith(V3_MIGRATIONS);
    service.backup("shop", "staging");
    Snapshot s = snapshotter.list("shop", "staging").get(0);
    snapshotter.replace(
        new Snapshot(
            s.id(),
            s.app(),
            s.environment(),
            s.kind(),
            s.takenAt(),
            s.took(),
            s.schemaVersion(),
            List.of(V2_MIGRATIONS),
            s.tables(),
            s.sequences(),
            s.bytes(),
            s.fingerprint(),
            s.location()));

    // WHEN it is verified
    VerificationReport report = service.verify("shop", "staging");

    // THEN it restored with v3's migrations, found in the ledger, and says so
    assertTrue(report.passed(), report.toString());
    assertEquals(List.of(V3_MIGRATIONS), snapshotter.restored().get(0).schemaLocations());
    String restore =
        report.checks().stream()
            .filter(c -> c.name().equals("restore"))
            .findFirst()
            .orElseThrow()
            .detail();
    assertTrue(restore.contains("release v3"), restore);
    assertTrue(restore.contains(V2_MIGRATIONS), restore);
    assertEquals(List.of(), alerts);
  }

  @Test
  void verify_shouldSayWhichVersionWhereAndHowToFix_whenNoReleaseInTheLedgerReachedTheSchema()
      throws Exception {
    // GIVEN only v1 (schema 1) in the ledger, a database at schema 3 (migrated by hand), and a
    // backup that recorded v1's migrations, which do not reach 3
    deployed("v1", "1");
    snapshotter.rebuildsOnlyWith(V3_MIGRATIONS);
    service.backup("shop", "staging");

    // WHEN it is verified
    VerificationReport report = service.verify("shop", "staging");

    // THEN the reason names the version, the locations tried, what the ledger lacks, and the fix
    assertFalse(report.passed());
    String reason = report.reason();
    assertTrue(reason.startsWith("restore: schema version 3: cannot rebuild it"), reason);
    assertTrue(reason.contains("[filesystem:/srv/demo/releases/v1/migrations]"), reason);
    assertTrue(
        reason.contains("no deployment of shop/staging in the ledger left schema version 3"),
        reason);
    assertTrue(reason.contains("to fix: put the migrations up to version 3"), reason);
    assertTrue(snapshotter.liveScratch().isEmpty());
  }

  @Test
  void backup_shouldRecordSnapshot_withLocationsOfTheReleaseThatMigratedLast() throws Exception {
    // GIVEN v1 then v2 migrated the database, and a newer v3 that never reached the migration
    deployed("v1", "1");
    deployed("v2", "3");
    deployed("v3", null);

    // WHEN a backup is taken
    BackupReport report = service.backup("shop", "staging");

    // THEN the snapshot was asked for with v2's migrations and the database secret, and recorded
    assertEquals(
        List.of("filesystem:/srv/demo/releases/v2/migrations"),
        snapshotter.requests().get(0).schemaLocations());
    assertEquals(DB_URL, snapshotter.requests().get(0).databaseUrl());
    assertFalse(snapshotter.requests().get(0).toString().contains("s3cret"));
    assertEquals("b1", report.backup().id());
    assertEquals(7, report.backup().rows());
    assertEquals(report.backup(), catalog.newestBackup("shop", "staging").orElseThrow());
    assertTrue(report.summary().startsWith("backup b1 of shop/staging taken in 2.0s: 2 tables"));
    assertEquals(List.of(), alerts);
  }

  @Test
  void backup_shouldAlertAndRecordNothing_whenSnapshotFails() {
    // GIVEN a deployed release and a snapshotter that fails
    deployed("v1", "1");
    snapshotter.failTake("backup shop/staging failed: could not write public.orders");

    // WHEN a backup is taken THEN it throws, nothing is recorded, and people are told
    BackupException e =
        assertThrows(BackupException.class, () -> service.backup("shop", "staging"));
    assertTrue(e.getMessage().contains("public.orders"));
    assertTrue(catalog.newestBackup("shop", "staging").isEmpty());
    assertEquals(
        List.of(
            "backup:shop/staging/backup FAILED: backup failed: backup shop/staging failed: could"
                + " not write public.orders"),
        alerts);
  }

  @Test
  void backup_shouldRefuse_whenNoReleaseResolvesTheTagPlaceholder() {
    // GIVEN nothing deployed, so {tag} in the migration locations has no value
    // WHEN a backup is taken THEN it is refused with what to do
    BackupException e =
        assertThrows(BackupException.class, () -> service.backup("shop", "staging"));
    assertTrue(e.getMessage().contains("uses {tag}"), e.getMessage());
    assertTrue(e.getMessage().contains("deploy once before backing up"), e.getMessage());
    assertTrue(snapshotter.requests().isEmpty());
  }

  @Test
  void backup_shouldRefuse_whenEnvironmentHasNoBackupSettings() {
    // GIVEN production without backup settings WHEN backed up THEN refused, naming the fix
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> service.backup("shop", "production"));
    assertTrue(e.getMessage().contains("add apps[].environments.production.backup"));
  }

  @Test
  void backup_shouldPruneBeyondRetentionButKeepNewestVerified_whenManyBackupsExist()
      throws Exception {
    // GIVEN a first backup that was verified, then two more
    deployed("v1", "1");
    service.backup("shop", "staging");
    assertTrue(service.verify("shop", "staging").passed());
    clock.advance(Duration.ofHours(6));
    service.backup("shop", "staging");
    clock.advance(Duration.ofHours(6));
    snapshotter.failRestore("table public.orders: file 001 is corrupted");
    service.backup("shop", "staging");
    assertFalse(service.verify("shop", "staging").passed());

    // WHEN a fourth backup is taken with retention 2
    clock.advance(Duration.ofHours(6));
    BackupReport report = service.backup("shop", "staging");

    // THEN b2 goes; b3 and b4 are the newest two, and b1 stays as the newest verified
    assertEquals(List.of("b2"), report.pruned());
    assertEquals(List.of("b4", "b3", "b1"), snapshotter.ids());
    assertEquals(
        List.of("b4", "b3", "b1"),
        catalog.backups("shop", "staging", 10).stream().map(b -> b.id()).toList());
    assertEquals("b1", catalog.newestVerifiedBackup("shop", "staging").orElseThrow().id());
  }

  @Test
  void verify_shouldPassRecordAndDropScratch_whenRestoreMatchesTheBackup() throws Exception {
    // GIVEN a backup taken 2 hours ago
    deployed("v1", "1");
    service.backup("shop", "staging");
    clock.advance(Duration.ofHours(2));

    // WHEN it is verified
    VerificationReport report = service.verify("shop", "staging");

    // THEN every check passed, the scratch database is gone, and the result is recorded
    assertTrue(report.passed(), report.toString());
    assertNull(report.reason());
    assertEquals(
        List.of("manifest", "restore", "schema version", "tables", "sequences", "query 1"),
        report.checks().stream().map(c -> c.name()).toList());
    assertEquals(Duration.ofHours(2), report.newestVerifiedAge());
    assertFalse(report.rpoExceeded());
    assertEquals(1, snapshotter.dropped().size());
    assertTrue(snapshotter.dropped().get(0).matches("rgv_\\d+_[0-9a-f]{6}"));
    assertTrue(snapshotter.liveScratch().isEmpty());
    VerificationRecord recorded = catalog.lastVerification("shop", "staging").orElseThrow();
    assertTrue(recorded.passed());
    assertEquals("b1", recorded.backupId());
    assertEquals(Duration.ofHours(2), recorded.newestVerifiedAge());
    assertEquals("b1", service.status("shop", "staging").newestVerifiedBackup().id());
    assertTrue(report.summary().contains("verified"), report.summary());
    assertEquals(List.of(), alerts);
  }

  @Test
  void verify_shouldFailNamingTheTable_whenRestoredChecksumDiffers() throws Exception {
    // GIVEN a backup whose restore shows different rows in public.orders
    deployed("v1", "1");
    service.backup("shop", "staging");
    snapshotter.tamper(
        s ->
            new State(
                s.schemaVersion(),
                List.of(s.tables().get(0), new Snapshot.Table("public.orders", 5, "bad", 400)),
                s.sequences()));

    // WHEN verified
    VerificationReport report = service.verify("shop", "staging");

    // THEN it failed naming the table, the scratch is dropped, and people are told
    assertFalse(report.passed());
    assertEquals(
        "tables: table public.orders: checksum bad of the restored rows differs from the"
            + " backup's 0dd",
        report.reason());
    assertTrue(snapshotter.liveScratch().isEmpty());
    assertFalse(catalog.lastVerification("shop", "staging").orElseThrow().passed());
    assertTrue(
        alerts.get(0).startsWith("backup:shop/staging/b1 FAILED: backup b1 FAILED verification"));
    // no verified backup at all: the RPO is not met either
    assertTrue(report.rpoExceeded());
    assertTrue(alerts.get(1).contains("no verified backup"), alerts.toString());
  }

  @Test
  void verify_shouldFailNamingEachDifference_whenSchemaSequencesOrQueryDiffer() throws Exception {
    // GIVEN a restore at another schema version, with a missing table, a moved sequence, an
    // extra table, and a query answering 0
    deployed("v1", "1");
    service.backup("shop", "staging");
    snapshotter
        .answer("select count(*) from orders", "0")
        .tamper(
            s ->
                new State(
                    "2",
                    List.of(s.tables().get(0), new Snapshot.Table("public.extra", 0, "0", 0)),
                    List.of(new Snapshot.Sequence("public.orders_id_seq", 1, false))));

    // WHEN verified
    VerificationReport report = service.verify("shop", "staging");

    // THEN each check names what differs
    assertFalse(report.passed());
    assertEquals(
        "schema version: the restored database is at 2, the backup was taken at 3",
        report.reason());
    Map<String, String> details = new java.util.HashMap<>();
    report.checks().forEach(c -> details.put(c.name(), c.detail()));
    assertEquals(
        "table public.orders: missing from the restored database; table public.extra: in the"
            + " schema at version 3 but not in the backup",
        details.get("tables"));
    assertEquals(
        "sequence public.orders_id_seq: restored at 1 (not called), the backup says 5",
        details.get("sequences"));
    assertEquals("'select count(*) from orders' answered 0, expected > 0", details.get("query 1"));
  }

  @Test
  void verify_shouldFailAndDropScratch_whenRestoreThrows() throws Exception {
    // GIVEN a backup whose file is damaged
    deployed("v1", "1");
    service.backup("shop", "staging");
    snapshotter.failRestore("table public.orders: file 001-public.orders.copy.gz is truncated");

    // WHEN verified THEN the reason names the file, and the scratch database is gone
    VerificationReport report = service.verify("shop", "staging");
    assertFalse(report.passed());
    assertEquals(
        "restore: table public.orders: file 001-public.orders.copy.gz is truncated",
        report.reason());
    assertEquals(1, snapshotter.dropped().size());
    assertTrue(snapshotter.liveScratch().isEmpty());
  }

  @Test
  void verify_shouldFailWithoutRestoring_whenManifestChangedSinceRecorded() throws Exception {
    // GIVEN a backup whose manifest was rewritten after it was recorded
    deployed("v1", "1");
    service.backup("shop", "staging");
    Snapshot s = snapshotter.list("shop", "staging").get(0);
    snapshotter.replace(
        new Snapshot(
            s.id(),
            s.app(),
            s.environment(),
            s.kind(),
            s.takenAt(),
            s.took(),
            s.schemaVersion(),
            s.schemaLocations(),
            s.tables(),
            s.sequences(),
            s.bytes(),
            "forged",
            s.location()));

    // WHEN verified THEN it fails on the manifest, and nothing was restored
    VerificationReport report = service.verify("shop", "staging");
    assertFalse(report.passed());
    assertTrue(report.reason().startsWith("manifest: the manifest of backup b1 changed"));
    assertTrue(snapshotter.dropped().isEmpty());
  }

  @Test
  void verify_shouldAlertOnRpo_whenNewestVerifiedBackupIsTooOld() throws Exception {
    // GIVEN a backup verified once, and then 30 hours without a new one (RPO 24h)
    deployed("v1", "1");
    service.backup("shop", "staging");
    service.verify("shop", "staging");
    clock.advance(Duration.ofHours(30));

    // WHEN verified again
    VerificationReport report = service.verify("shop", "staging");

    // THEN it passed but the RPO is exceeded, people are told, and status says so
    assertTrue(report.passed());
    assertTrue(report.rpoExceeded());
    assertEquals(Duration.ofHours(30), report.newestVerifiedAge());
    assertEquals(
        List.of(
            "backup:shop/staging/b1 FAILED: the newest verified backup is 30h old, beyond the"
                + " recovery point objective of 24h"),
        alerts);
    BackupStatus status = service.status("shop", "staging");
    assertFalse(status.withinRpo());
    assertTrue(status.summary().endsWith("RPO 24h EXCEEDED"), status.summary());
  }

  @Test
  void verify_shouldReportNothingToVerify_whenNoBackupExists() {
    // GIVEN no backup WHEN verified THEN it fails without restoring and people are told
    VerificationReport report = service.verify("shop", "staging");
    assertFalse(report.passed());
    assertNull(report.backupId());
    assertTrue(report.reason().contains("run backup first"));
    assertTrue(report.rpoExceeded());
    assertTrue(snapshotter.dropped().isEmpty());
    assertEquals(2, alerts.size());
  }

  @Test
  void due_shouldFollowSchedules_whenTimePasses() throws Exception {
    // GIVEN nothing yet: a backup is due, no verification (nothing to verify)
    deployed("v1", "1");
    assertEquals(List.of(new Due("shop", "staging", Due.Kind.BACKUP)), service.due());

    // WHEN what is due runs THEN a backup is taken and verified at once
    List<String> lines = service.runDue();
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(1).contains("verified"), lines.toString());
    assertEquals(List.of(), service.due());

    // WHEN 6 hours pass THEN only the backup is due; after 12 hours both
    clock.advance(Duration.ofHours(6));
    assertEquals(List.of(new Due("shop", "staging", Due.Kind.BACKUP)), service.due());
    clock.advance(Duration.ofHours(6));
    assertEquals(
        List.of(
            new Due("shop", "staging", Due.Kind.BACKUP),
            new Due("shop", "staging", Due.Kind.VERIFY)),
        service.due());
  }
}
