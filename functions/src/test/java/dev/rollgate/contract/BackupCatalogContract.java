package dev.rollgate.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.model.BackupRecord;
import dev.rollgate.core.model.VerificationRecord;
import dev.rollgate.core.port.BackupCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BackupCatalog} promises: idempotent records, newest and newest
 * verified (by each backup's latest verification), deletions, and apps and environments kept apart.
 * Subclasses supply a fresh, empty catalog per test.
 */
public abstract class BackupCatalogContract {

  protected static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456Z");

  protected BackupCatalog catalog;

  /** A fresh, empty catalog; called before each test. */
  protected abstract BackupCatalog newCatalog();

  @BeforeEach
  void setUpCatalog() {
    catalog = newCatalog();
  }

  protected static BackupRecord backup(String id, Instant takenAt) {
    return backup("shop", "staging", id, takenAt);
  }

  protected static BackupRecord backup(String app, String env, String id, Instant takenAt) {
    return new BackupRecord(
        id,
        app,
        env,
        "postgres-logical",
        takenAt,
        Duration.ofMillis(1234),
        "2",
        3,
        42,
        4096,
        "ab".repeat(32),
        "dir:/backups/" + app + "/" + env + "/" + id + "/");
  }

  protected static VerificationRecord verification(
      BackupRecord b, Instant startedAt, boolean passed) {
    return new VerificationRecord(
        b.id(),
        b.app(),
        b.environment(),
        startedAt,
        Duration.ofMillis(2500),
        passed,
        passed ? "verified: 3 tables" : "restore: table public.orders: file is corrupted",
        passed ? Duration.ofMinutes(5) : null);
  }

  @Test
  void recordBackup_shouldRoundTripEveryField_whenFoundAgain() {
    // GIVEN a backup with every field set, and one with the optional ones empty
    BackupRecord full = backup("b1", T0);
    BackupRecord bare =
        new BackupRecord(
            "b2",
            "shop",
            "staging",
            "rds",
            T0.plusSeconds(1),
            Duration.ZERO,
            null,
            0,
            0,
            0,
            null,
            null);

    // WHEN both are recorded, the first twice
    catalog.recordBackup(full);
    catalog.recordBackup(full);
    catalog.recordBackup(bare);

    // THEN what is read is what was written, once
    assertEquals(Optional.of(full), catalog.find("shop", "staging", "b1"));
    assertEquals(Optional.of(bare), catalog.find("shop", "staging", "b2"));
    assertEquals(List.of(bare, full), catalog.backups("shop", "staging", 10));
    assertEquals(Optional.empty(), catalog.find("shop", "staging", "nope"));
  }

  @Test
  void newestBackup_shouldBeLatestTakenNotDeleted_whenSeveralExist() {
    // GIVEN three backups recorded out of order, the newest then deleted
    BackupRecord old = backup("b1", T0);
    BackupRecord mid = backup("b2", T0.plusSeconds(60));
    BackupRecord newest = backup("b3", T0.plusSeconds(120));
    catalog.recordBackup(mid);
    catalog.recordBackup(newest);
    catalog.recordBackup(old);
    assertEquals(Optional.of(newest), catalog.newestBackup("shop", "staging"));

    // WHEN the newest is deleted (twice: idempotent)
    catalog.recordDeleted("shop", "staging", "b3", T0.plusSeconds(200));
    catalog.recordDeleted("shop", "staging", "b3", T0.plusSeconds(300));

    // THEN the next one is newest, and the deleted one is no longer listed but still found
    assertEquals(Optional.of(mid), catalog.newestBackup("shop", "staging"));
    assertEquals(List.of(mid, old), catalog.backups("shop", "staging", 10));
    assertEquals(List.of(mid), catalog.backups("shop", "staging", 1));
    assertTrue(catalog.find("shop", "staging", "b3").isPresent());
  }

  @Test
  void newestVerifiedBackup_shouldFollowEachBackupsLatestVerification_whenResultsChange() {
    // GIVEN two backups, both verified
    BackupRecord old = backup("b1", T0);
    BackupRecord newer = backup("b2", T0.plusSeconds(60));
    catalog.recordBackup(old);
    catalog.recordBackup(newer);
    assertEquals(Optional.empty(), catalog.newestVerifiedBackup("shop", "staging"));
    catalog.recordVerification(verification(old, T0.plusSeconds(10), true));
    catalog.recordVerification(verification(newer, T0.plusSeconds(70), true));
    assertEquals(Optional.of(newer), catalog.newestVerifiedBackup("shop", "staging"));

    // WHEN the newer one fails its next verification (its file was tampered with)
    VerificationRecord failed = verification(newer, T0.plusSeconds(80), false);
    catalog.recordVerification(failed);

    // THEN the older one is the newest verified; the failure is the last verification
    assertEquals(Optional.of(old), catalog.newestVerifiedBackup("shop", "staging"));
    assertEquals(Optional.of(failed), catalog.lastVerification("shop", "staging"));
    assertEquals(
        List.of(failed, verification(newer, T0.plusSeconds(70), true)),
        catalog.verifications("shop", "staging", "b2"));

    // WHEN the older one is deleted THEN nothing verified is left
    catalog.recordDeleted("shop", "staging", "b1", T0.plusSeconds(90));
    assertEquals(Optional.empty(), catalog.newestVerifiedBackup("shop", "staging"));
  }

  @Test
  void recordVerification_shouldRefuse_whenBackupWasNeverRecorded() {
    // GIVEN no backup WHEN a verification of it is recorded THEN it is refused
    assertThrows(
        IllegalArgumentException.class,
        () -> catalog.recordVerification(verification(backup("ghost", T0), T0, true)));
    assertEquals(Optional.empty(), catalog.lastVerification("shop", "staging"));
  }

  @Test
  void queries_shouldKeepAppsAndEnvironmentsApart_whenIdsCollide() {
    // GIVEN the same id in two environments and two apps
    BackupRecord staging = backup("shop", "staging", "b1", T0);
    BackupRecord production = backup("shop", "production", "b1", T0.plusSeconds(5));
    BackupRecord other = backup("cart", "staging", "b1", T0.plusSeconds(9));
    catalog.recordBackup(staging);
    catalog.recordBackup(production);
    catalog.recordBackup(other);

    // WHEN one of them is verified and another deleted
    catalog.recordVerification(verification(production, T0.plusSeconds(6), true));
    catalog.recordDeleted("cart", "staging", "b1", T0.plusSeconds(10));

    // THEN each app and environment sees only its own
    assertEquals(Optional.of(staging), catalog.newestBackup("shop", "staging"));
    assertEquals(Optional.empty(), catalog.newestVerifiedBackup("shop", "staging"));
    assertEquals(Optional.of(production), catalog.newestVerifiedBackup("shop", "production"));
    assertEquals(Optional.empty(), catalog.lastVerification("shop", "staging"));
    assertEquals(Optional.empty(), catalog.newestBackup("cart", "staging"));
    assertEquals(List.of(), catalog.verifications("shop", "staging", "b1"));
  }
}
