package dev.rollgate.core.backup;

import dev.rollgate.core.backup.SchemaLocations.Choice;
import dev.rollgate.core.backup.VerificationReport.Check;
import dev.rollgate.core.manifest.BackupSpec;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.model.BackupRecord;
import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.model.VerificationRecord;
import dev.rollgate.core.port.BackupCatalog;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.DatabaseInspector;
import dev.rollgate.core.port.DatabaseInspector.State;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.SchemaRebuildException;
import dev.rollgate.core.port.Snapshotter;
import dev.rollgate.core.port.Snapshotter.RestoredDatabase;
import dev.rollgate.core.port.Snapshotter.Scratch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Restores the newest backup into a scratch database that is always dropped afterwards, checks it
 * against the backup's manifest and the environment's verification queries, and records the result
 * with the age of the newest verified backup.
 */
final class RestoreTest {

  private static final Logger LOG = Logger.getLogger("rollgate.backup");

  private final Snapshotter snapshotter;
  private final DatabaseInspector inspector;
  private final BackupCatalog catalog;
  private final Ledger ledger;
  private final Path baseDir;
  private final Clock clock;

  /**
   * @param ledger where the release whose migrations rebuild a backup's schema version is found
   * @param baseDir the manifest's directory, against which relative migration locations resolve
   */
  RestoreTest(
      Snapshotter snapshotter,
      DatabaseInspector inspector,
      BackupCatalog catalog,
      Ledger ledger,
      Path baseDir,
      Clock clock) {
    this.snapshotter = snapshotter;
    this.inspector = inspector;
    this.catalog = catalog;
    this.ledger = ledger;
    this.baseDir = baseDir;
    this.clock = clock;
  }

  /**
   * @param migrations the environment's migrations, whose locations rebuild the backup's schema
   */
  VerificationReport run(
      String app, String environment, BackupSpec spec, MigrationSpec migrations, String serverUrl) {
    Instant start = clock.now();
    Optional<BackupRecord> newest = catalog.newestBackup(app, environment);
    if (newest.isEmpty()) {
      Optional<BackupRecord> verified = catalog.newestVerifiedBackup(app, environment);
      Duration age = verified.map(b -> Duration.between(b.takenAt(), start)).orElse(null);
      return new VerificationReport(
          app,
          environment,
          null,
          null,
          false,
          "no backup of %s/%s is recorded yet; run backup first".formatted(app, environment),
          List.of(),
          Duration.ZERO,
          age,
          spec.rpo(),
          age == null || age.compareTo(spec.rpo()) > 0);
    }
    BackupRecord backup = newest.get();
    LOG.info(() -> "%s/%s: verifying backup %s".formatted(app, environment, backup.id()));
    List<Check> checks = checks(app, environment, backup, spec, migrations, serverUrl);
    Instant end = clock.now();
    Duration duration = Duration.between(start, end);
    Check failed = checks.stream().filter(c -> !c.passed()).findFirst().orElse(null);
    boolean passed = failed == null;
    String reason = passed ? null : failed.name() + ": " + failed.detail();
    Optional<BackupRecord> newestVerified = newestVerifiedAfter(backup, passed);
    Duration age = newestVerified.map(b -> Duration.between(b.takenAt(), end)).orElse(null);
    catalog.recordVerification(
        new VerificationRecord(
            backup.id(),
            app,
            environment,
            start,
            duration,
            passed,
            passed ? "verified: " + summary(checks) : reason,
            age));
    return new VerificationReport(
        app,
        environment,
        backup.id(),
        backup.takenAt(),
        passed,
        reason,
        checks,
        duration,
        age,
        spec.rpo(),
        age == null || age.compareTo(spec.rpo()) > 0);
  }

  private List<Check> checks(
      String app,
      String environment,
      BackupRecord backup,
      BackupSpec spec,
      MigrationSpec migrations,
      String serverUrl) {
    List<Check> checks = new ArrayList<>();
    List<Snapshot> stored;
    Snapshot snapshot;
    try {
      stored = snapshotter.list(app, environment);
      snapshot = find(stored, backup);
    } catch (BackupException e) {
      checks.add(Check.fail("backup", e.getMessage()));
      return checks;
    }
    if (backup.fingerprint() != null && !backup.fingerprint().equals(snapshot.fingerprint())) {
      checks.add(Check.fail("manifest", ManifestMixUp.reason(catalog, backup, snapshot, stored)));
      return checks;
    }
    checks.add(Check.pass("manifest", "unchanged since the backup was written"));
    Optional<Choice> release = release(app, environment, migrations, snapshot);
    Snapshot restoring =
        release
            .filter(c -> !c.locations().equals(snapshot.schemaLocations()))
            .map(c -> snapshot.withSchemaLocations(c.locations()))
            .orElse(snapshot);
    Scratch scratch = new Scratch(scratchName(), serverUrl);
    try {
      Instant restoreStart = clock.now();
      RestoredDatabase restored = snapshotter.restore(restoring, scratch);
      String detail =
          "into scratch database %s in %s"
              .formatted(
                  scratch.name(), Durations.text(Duration.between(restoreStart, clock.now())));
      if (restoring != snapshot) {
        detail +=
            ("; schema %s rebuilt with the migrations of %s, which brought it there, at %s (the"
                    + " backup recorded %s)")
                .formatted(
                    snapshot.schemaVersion(),
                    release.get().describe(),
                    restoring.schemaLocations(),
                    snapshot.schemaLocations());
      }
      checks.add(Check.pass("restore", detail));
      State state = inspector.inspect(restored);
      checks.add(Checks.schemaVersion(snapshot, state));
      checks.add(Checks.tables(snapshot, state));
      checks.add(Checks.sequences(snapshot, state));
      for (int i = 0; i < spec.verify().size(); i++) {
        checks.add(Checks.query(i, spec.verify().get(i), inspector, restored));
      }
    } catch (SchemaRebuildException e) {
      checks.add(
          Check.fail("restore", e.getMessage() + "; " + howToFix(app, environment, e, release)));
    } catch (BackupException | RuntimeException e) {
      checks.add(Check.fail("restore", String.valueOf(e.getMessage())));
    } finally {
      try {
        snapshotter.drop(scratch);
      } catch (BackupException | RuntimeException e) {
        checks.add(
            Check.fail(
                "scratch",
                "could not drop scratch database " + scratch.name() + ": " + e.getMessage()));
      }
    }
    return checks;
  }

  /** The release whose migrations brought the schema to the backup's version, per the ledger. */
  private Optional<Choice> release(
      String app, String environment, MigrationSpec migrations, Snapshot snapshot) {
    if (migrations == null) {
      return Optional.empty();
    }
    try {
      return SchemaLocations.forVersion(
          migrations, baseDir, app, environment, ledger, snapshot.schemaVersion());
    } catch (BackupException | RuntimeException e) {
      LOG.warning(
          () ->
              "%s/%s: restoring backup %s with the migrations it recorded: %s"
                  .formatted(app, environment, snapshot.id(), e.getMessage()));
      return Optional.empty();
    }
  }

  private static String howToFix(
      String app, String environment, SchemaRebuildException e, Optional<Choice> release) {
    String version = e.version();
    if (release.isPresent()) {
      return ("those are the migrations of %s, which brought the schema to version %s; to fix:"
              + " put the migrations up to version %s back at %s (or point migrations.locations"
              + " in the manifest at where they are now), then verify again")
          .formatted(release.get().describe(), version, version, e.locations());
    }
    return ("no deployment of %s/%s in the ledger left schema version %s (its last %d deployments"
            + " were searched), so no release is known whose migrations reach it; to fix: put the"
            + " migrations up to version %s at %s (or point migrations.locations in the manifest at"
            + " where they are), then verify again")
        .formatted(app, environment, version, SchemaLocations.HISTORY, version, e.locations());
  }

  private static Snapshot find(List<Snapshot> stored, BackupRecord backup) throws BackupException {
    for (Snapshot s : stored) {
      if (s.id().equals(backup.id())) {
        return s;
      }
    }
    throw new BackupException(
        ("backup %s is recorded but has no complete manifest in the store (%s): it was deleted,"
                + " moved or never finished; take a new backup")
            .formatted(backup.id(), backup.location()));
  }

  /** The newest verified backup once this verification is recorded. */
  private Optional<BackupRecord> newestVerifiedAfter(BackupRecord backup, boolean passed) {
    Optional<BackupRecord> before =
        catalog.newestVerifiedBackup(backup.app(), backup.environment());
    if (passed) {
      return before.isPresent() && before.get().takenAt().isAfter(backup.takenAt())
          ? before
          : Optional.of(backup);
    }
    if (before.isEmpty() || !before.get().id().equals(backup.id())) {
      return before;
    }
    // This backup was the newest verified one and now fails: the next older one that passed.
    for (BackupRecord b : catalog.backups(backup.app(), backup.environment(), 1000)) {
      if (b.id().equals(backup.id()) || b.takenAt().isAfter(backup.takenAt())) {
        continue;
      }
      List<VerificationRecord> v =
          catalog.verifications(backup.app(), backup.environment(), b.id());
      if (!v.isEmpty() && v.get(0).passed()) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  private static String summary(List<Check> checks) {
    return checks.stream()
        .filter(c -> c.name().equals("tables"))
        .map(Check::detail)
        .findFirst()
        .orElse("restored");
  }

  /** Unique per run, sortable, a valid unquoted identifier: {@code rgv_<epoch>_<hex>}. */
  private String scratchName() {
    byte[] random = new byte[3];
    ThreadLocalRandom.current().nextBytes(random);
    return "rgv_" + clock.now().getEpochSecond() + "_" + HexFormat.of().formatHex(random);
  }
}
