package dev.rollgate.backup;

import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.BackupStore;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.Snapshotter;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Logical backups of PostgreSQL into a {@link BackupStore}: one COPY file per table, taken in one
 * consistent snapshot shared by a few connections, and a {@code manifest.json} written last. A
 * restore migrates an empty scratch database to the recorded schema version with the app's own
 * migrations, then loads the data and sets the sequences.
 */
public final class PostgresLogicalSnapshotter implements Snapshotter {

  /** The kind recorded with each backup. */
  public static final String KIND = "postgres-logical";

  private static final Logger LOG = Logger.getLogger("rollgate.backup");
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final BackupStore store;
  private final ScratchDatabases scratchDatabases;
  private final Clock clock;
  private final Settings settings;

  /**
   * How backups are written and restored.
   *
   * @param parallelism connections that copy tables at once (default 2)
   * @param gzipLevel 1 (fastest, the default) to 9; 0 stores plain COPY text
   * @param classLoader finds {@code classpath:} migrations and Flyway's plugins
   */
  public record Settings(int parallelism, int gzipLevel, ClassLoader classLoader) {

    public Settings {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
      }
      if (gzipLevel < 0 || gzipLevel > 9) {
        throw new IllegalArgumentException("gzipLevel must be 0 to 9: " + gzipLevel);
      }
      Objects.requireNonNull(classLoader, "classLoader");
    }

    public static Settings defaults() {
      return new Settings(2, 1, PostgresLogicalSnapshotter.class.getClassLoader());
    }
  }

  public PostgresLogicalSnapshotter(BackupStore store, ScratchDatabases scratch, Clock clock) {
    this(store, scratch, clock, Settings.defaults());
  }

  public PostgresLogicalSnapshotter(
      BackupStore store, ScratchDatabases scratch, Clock clock, Settings settings) {
    this.store = Objects.requireNonNull(store, "store");
    this.scratchDatabases = Objects.requireNonNull(scratch, "scratch");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Snapshot take(Request request) throws BackupException {
    Instant start = clock.now();
    String id = newId(start);
    String prefix = prefix(request.app(), request.environment()) + id + "/";
    String label = "backup %s/%s %s".formatted(request.app(), request.environment(), id);
    try {
      BackupManifestFile manifest =
          new LogicalBackup(store, settings, clock).write(request, id, start, prefix, label);
      byte[] json = manifest.toJson();
      // Written last: a backup without its manifest is never listed, so never trusted.
      store.put(prefix + BackupManifestFile.NAME, json);
      Snapshot snapshot = manifest.toSnapshot(sha256(json), store.describe() + "/" + prefix);
      LOG.info(
          () ->
              "%s: complete, %d tables, %d rows, %.1f MB stored in %s"
                  .formatted(
                      label,
                      snapshot.tables().size(),
                      snapshot.rows(),
                      snapshot.bytes() / 1048576.0,
                      snapshot.took()));
      return snapshot;
    } catch (BackupException | IOException | RuntimeException e) {
      abandon(prefix);
      if (e instanceof BackupException b) {
        throw b;
      }
      throw new BackupException(
          "%s failed: %s".formatted(label, PgSession.redact(e.toString(), request.databaseUrl())),
          e);
    }
  }

  @Override
  public List<Snapshot> list(String app, String environment) throws BackupException {
    String prefix = prefix(app, environment);
    List<Snapshot> snapshots = new ArrayList<>();
    try {
      for (BackupStore.Entry e : store.list(prefix)) {
        String rest = e.key().substring(prefix.length());
        if (rest.endsWith("/" + BackupManifestFile.NAME)
            && rest.indexOf('/') == rest.lastIndexOf('/')) {
          String id = rest.substring(0, rest.indexOf('/'));
          byte[] json = read(e.key());
          BackupManifestFile m = BackupManifestFile.parse(json, location(e.key()));
          if (!m.id().equals(id)) {
            LOG.warning(
                () ->
                    "%s/%s: the directory of backup %s holds the manifest of backup %s"
                        .formatted(app, environment, id, m.id()));
          }
          snapshots.add(m.toSnapshot(id, sha256(json), store.describe() + "/" + prefix + id + "/"));
        }
      }
    } catch (IOException e) {
      throw new BackupException(
          "could not list backups under %s: %s".formatted(location(prefix), e.getMessage()), e);
    }
    snapshots.sort(Comparator.comparing(Snapshot::takenAt).thenComparing(Snapshot::id).reversed());
    return snapshots;
  }

  @Override
  public RestoredDatabase restore(Snapshot snapshot, Scratch scratch) throws BackupException {
    String prefix = prefix(snapshot.app(), snapshot.environment()) + snapshot.id() + "/";
    return new LogicalRestore(store, scratchDatabases, settings, prefix).restore(snapshot, scratch);
  }

  @Override
  public void drop(Scratch scratch) throws BackupException {
    try {
      scratchDatabases.drop(scratch.name(), scratch.serverUrl());
    } catch (SQLException e) {
      throw new BackupException(
          "could not drop scratch database %s: %s"
              .formatted(scratch.name(), PgSession.message(e, scratch.serverUrl())),
          e);
    }
  }

  @Override
  public void delete(Snapshot snapshot) throws BackupException {
    String prefix = prefix(snapshot.app(), snapshot.environment()) + snapshot.id() + "/";
    try {
      store.delete(prefix + BackupManifestFile.NAME);
      for (BackupStore.Entry e : store.list(prefix)) {
        store.delete(e.key());
      }
    } catch (IOException e) {
      throw new BackupException(
          "could not delete backup %s at %s: %s"
              .formatted(snapshot.id(), location(prefix), e.getMessage()),
          e);
    }
  }

  @Override
  public List<String> sweep(String app, String environment, Instant startedBefore)
      throws BackupException {
    String prefix = prefix(app, environment);
    Map<String, Boolean> complete = new TreeMap<>();
    try {
      for (BackupStore.Entry e : store.list(prefix)) {
        String rest = e.key().substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash > 0) {
          complete.merge(
              rest.substring(0, slash),
              rest.substring(slash + 1).equals(BackupManifestFile.NAME),
              Boolean::logicalOr);
        }
      }
    } catch (IOException e) {
      throw new BackupException(
          "could not list backups under %s: %s".formatted(location(prefix), e.getMessage()), e);
    }
    List<String> swept = new ArrayList<>();
    for (Map.Entry<String, Boolean> backup : complete.entrySet()) {
      Instant began = startedAt(backup.getKey());
      if (!backup.getValue() && began != null && began.isBefore(startedBefore)) {
        abandon(prefix + backup.getKey() + "/");
        LOG.info(
            () ->
                "%s/%s: removed the leftovers of backup %s, which never completed"
                    .formatted(app, environment, backup.getKey()));
        swept.add(backup.getKey());
      }
    }
    return swept;
  }

  /** When the backup with this id began; null when the id is not one of ours. */
  private static Instant startedAt(String id) {
    if (id.length() < 16) {
      return null;
    }
    try {
      return Instant.from(ID_TIME.parse(id.substring(0, 16)));
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** Removes what an interrupted backup wrote; without a manifest it is ignored anyway. */
  private void abandon(String prefix) {
    try {
      for (BackupStore.Entry e : store.list(prefix)) {
        store.delete(e.key());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warning("could not remove the files of an interrupted backup at " + location(prefix));
    }
  }

  private byte[] read(String key) throws IOException {
    try (InputStream in = store.get(key)) {
      return in.readAllBytes();
    }
  }

  private String location(String key) {
    return store.describe() + "/" + key;
  }

  static String prefix(String app, String environment) {
    return app + "/" + environment + "/";
  }

  private static String newId(Instant at) {
    byte[] random = new byte[2];
    ThreadLocalRandom.current().nextBytes(random);
    return ID_TIME.format(at) + "-" + HexFormat.of().formatHex(random);
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(TableDump.sha256().digest(bytes));
  }
}
