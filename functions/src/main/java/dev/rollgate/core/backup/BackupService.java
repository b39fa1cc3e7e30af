package dev.rollgate.core.backup;

import dev.rollgate.core.backup.Targets.Target;
import dev.rollgate.core.manifest.AppSpec;
import dev.rollgate.core.manifest.BackupSpec;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.model.BackupRecord;
import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.model.VerificationRecord;
import dev.rollgate.core.port.BackupCatalog;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.DatabaseInspector;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.Notifier;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.core.port.Snapshotter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Backs up each environment's database on its schedule, proves on its schedule that the newest
 * backup restores into a working database, and says loudly when it does not or when the newest
 * verified backup is older than the recovery point objective.
 */
public final class BackupService {

  private static final Logger LOG = Logger.getLogger("rollgate.backup");

  private final Manifest manifest;
  private final Ledger ledger;
  private final SecretResolver secrets;
  private final Snapshotter snapshotter;
  private final BackupCatalog catalog;
  private final Clock clock;
  private final BackupAlerts alerts;
  private final Retention retention;
  private final RestoreTest restoreTest;

  /**
   * @param ledger where the release that brought the schema to its version is found, to resolve
   *     {@code {tag}} in the migration locations when backing up and restoring
   * @param secrets resolves {@code backup.database}
   * @param inspector reads restored databases for the checks
   * @param notifier hears about failed backups, failed verifications and missed RPOs
   */
  public BackupService(
      Manifest manifest,
      Ledger ledger,
      SecretResolver secrets,
      Snapshotter snapshotter,
      DatabaseInspector inspector,
      BackupCatalog catalog,
      Notifier notifier,
      Clock clock) {
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.snapshotter = Objects.requireNonNull(snapshotter, "snapshotter");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.alerts = new BackupAlerts(Objects.requireNonNull(notifier, "notifier"), clock);
    this.retention = new Retention(snapshotter, catalog, clock);
    this.restoreTest =
        new RestoreTest(
            snapshotter,
            Objects.requireNonNull(inspector, "inspector"),
            catalog,
            ledger,
            manifest.baseDir(),
            clock);
  }

  /**
   * Takes a backup of the environment's database, records it, then applies retention.
   *
   * @throws BackupException when no backup could be taken (people are told as well)
   * @throws IllegalArgumentException when the app or environment is unknown or has no backup
   *     settings
   */
  public BackupReport backup(String app, String environment) throws BackupException {
    Target t = target(app, environment);
    Snapshot snapshot;
    try {
      String url = jdbcUrl(t.spec().database());
      List<String> locations =
          SchemaLocations.resolve(
              t.env().migrations(), manifest.baseDir(), app, environment, ledger);
      LOG.info(() -> "%s/%s: backup started (%s)".formatted(app, environment, snapshotter.kind()));
      snapshot =
          snapshotter.take(
              new Snapshotter.Request(
                  app, environment, url, t.spec().database().toString(), locations));
    } catch (BackupException | RuntimeException e) {
      alerts.alert(t.app(), environment, "backup", "backup failed: " + e.getMessage());
      throw e;
    }
    BackupRecord record = BackupRecord.of(snapshot);
    try {
      catalog.recordBackup(record);
    } catch (RuntimeException e) {
      alerts.alert(
          t.app(),
          environment,
          snapshot.id(),
          "backup %s was taken but could not be recorded: %s"
              .formatted(snapshot.id(), e.getMessage()));
      throw e;
    }
    List<String> pruned = List.of();
    List<String> warnings = new ArrayList<>();
    try {
      pruned = retention.prune(app, environment, t.spec().retention(), snapshot.id());
    } catch (BackupException | RuntimeException e) {
      // The new backup is safe; pruning is tried again after the next one.
      warnings.add("retention: " + e.getMessage());
      LOG.warning(() -> "%s/%s: retention failed: %s".formatted(app, environment, e.getMessage()));
    }
    BackupReport report = new BackupReport(record, pruned, warnings);
    LOG.info(report::summary);
    alerts.backedUp(t.app(), environment, false, report.summary());
    return report;
  }

  /**
   * Restores the newest backup into a scratch database (always dropped afterwards), checks it, and
   * records the result. A failed verification is a report, not an exception; people are told when
   * it failed or when the newest verified backup is older than the RPO.
   *
   * @throws IllegalArgumentException when the app or environment is unknown or has no backup
   *     settings
   */
  public VerificationReport verify(String app, String environment) {
    Target t = target(app, environment);
    String url;
    try {
      url = jdbcUrl(t.spec().database());
    } catch (BackupException e) {
      alerts.alert(t.app(), environment, "verify", "backup verification failed: " + e.getMessage());
      return new VerificationReport(
          app,
          environment,
          null,
          null,
          false,
          e.getMessage(),
          List.of(),
          Duration.ZERO,
          null,
          t.spec().rpo(),
          true);
    }
    VerificationReport report =
        restoreTest.run(app, environment, t.spec(), t.env().migrations(), url);
    LOG.info(report::summary);
    String subject = report.backupId() == null ? "verify" : report.backupId();
    if (report.passed()) {
      alerts.backedUp(t.app(), environment, true, report.summary());
    }
    if (!report.passed()) {
      alerts.alert(
          t.app(),
          environment,
          subject,
          report.backupId() == null
              ? report.reason()
              : "backup %s FAILED verification: %s".formatted(report.backupId(), report.reason()));
    }
    if (report.rpoExceeded()) {
      alerts.alert(
          t.app(),
          environment,
          subject,
          report.newestVerifiedAge() == null
              ? "no verified backup: the recovery point objective of %s is not met"
                  .formatted(Durations.text(t.spec().rpo()))
              : "the newest verified backup is %s old, beyond the recovery point objective of %s"
                  .formatted(
                      Durations.text(report.newestVerifiedAge()), Durations.text(t.spec().rpo())));
    }
    return report;
  }

  /** The newest backup, the newest verified backup and its age against the RPO. */
  public BackupStatus status(String app, String environment) {
    Target t = target(app, environment);
    Instant now = clock.now();
    Optional<BackupRecord> verified = catalog.newestVerifiedBackup(app, environment);
    Duration age = verified.map(b -> Duration.between(b.takenAt(), now)).orElse(null);
    return new BackupStatus(
        app,
        environment,
        catalog.newestBackup(app, environment).orElse(null),
        verified.orElse(null),
        age,
        t.spec().rpo(),
        age != null && age.compareTo(t.spec().rpo()) <= 0,
        catalog.lastVerification(app, environment).orElse(null));
  }

  /** The status of every environment that has backup settings, in manifest order. */
  public List<BackupStatus> status() {
    List<BackupStatus> all = new ArrayList<>();
    forEachBackedUp((app, env) -> all.add(status(app.name(), env.name())));
    return all;
  }

  /**
   * What is due now: a backup when the newest is older than the schedule (or there is none), a
   * verification when the latest is older than the verify schedule (or there is none) and a backup
   * exists.
   */
  public List<Due> due() {
    Instant now = clock.now();
    List<Due> due = new ArrayList<>();
    forEachBackedUp(
        (app, env) -> {
          BackupSpec spec = env.backup();
          Optional<BackupRecord> newest = catalog.newestBackup(app.name(), env.name());
          if (newest.isEmpty() || !newest.get().takenAt().plus(spec.schedule()).isAfter(now)) {
            due.add(new Due(app.name(), env.name(), Due.Kind.BACKUP));
          }
          Optional<VerificationRecord> last = catalog.lastVerification(app.name(), env.name());
          boolean verifyDue =
              last.isEmpty() || !last.get().startedAt().plus(spec.verifySchedule()).isAfter(now);
          if (newest.isPresent() && verifyDue) {
            due.add(new Due(app.name(), env.name(), Due.Kind.VERIFY));
          }
        });
    return due;
  }

  /**
   * Runs what is due, backups first, then verifications (including of a backup just taken when no
   * verification ran yet); returns one summary line per run. Never throws for one environment's
   * failure: the others still run.
   */
  public List<String> runDue() {
    List<String> lines = new ArrayList<>();
    for (Due d : due()) {
      if (d.kind() == Due.Kind.BACKUP) {
        try {
          lines.add(backup(d.app(), d.environment()).summary());
        } catch (BackupException | RuntimeException e) {
          lines.add("%s/%s: backup failed: %s".formatted(d.app(), d.environment(), e.getMessage()));
        }
      }
    }
    for (Due d : due()) {
      if (d.kind() == Due.Kind.VERIFY) {
        lines.add(verify(d.app(), d.environment()).summary());
      }
    }
    return lines;
  }

  /** A scheduled run that is due. */
  public record Due(String app, String environment, Kind kind) {

    /** Which run. */
    public enum Kind {
      BACKUP,
      VERIFY
    }
  }

  private interface EnvVisitor {
    void visit(AppSpec app, EnvironmentSpec env);
  }

  private void forEachBackedUp(EnvVisitor visitor) {
    for (AppSpec app : manifest.apps()) {
      for (EnvironmentSpec env : app.environments()) {
        if (env.backup() != null) {
          visitor.visit(app, env);
        }
      }
    }
  }

  private Target target(String app, String environment) {
    return Targets.find(manifest, app, environment);
  }

  private String jdbcUrl(SecretRef ref) throws BackupException {
    return Targets.jdbcUrl(secrets, ref);
  }
}
