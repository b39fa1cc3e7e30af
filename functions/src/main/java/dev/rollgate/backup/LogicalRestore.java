package dev.rollgate.backup;

import dev.rollgate.backup.BackupManifestFile.SequenceEntry;
import dev.rollgate.backup.BackupManifestFile.TableEntry;
import dev.rollgate.backup.PostgresLogicalSnapshotter.Settings;
import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.BackupStore;
import dev.rollgate.core.port.SchemaRebuildException;
import dev.rollgate.core.port.Snapshotter.RestoredDatabase;
import dev.rollgate.core.port.Snapshotter.Scratch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Restores one logical backup: checks the files are all there at their recorded sizes, migrates a
 * fresh scratch database to the recorded schema version, loads the tables with COPY (foreign keys
 * and triggers off where the role allows, else in dependency order; plain indexes built after the
 * load), then sets the sequences.
 */
final class LogicalRestore {

  private static final Logger LOG = Logger.getLogger("rollgate.backup");
  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  private final BackupStore store;
  private final ScratchDatabases scratchDatabases;
  private final Settings settings;
  private final String prefix;

  LogicalRestore(
      BackupStore store, ScratchDatabases scratchDatabases, Settings settings, String prefix) {
    this.store = store;
    this.scratchDatabases = scratchDatabases;
    this.settings = settings;
    this.prefix = prefix;
  }

  RestoredDatabase restore(Snapshot snapshot, Scratch scratch) throws BackupException {
    String label = "restore of backup %s into %s".formatted(snapshot.id(), scratch.name());
    BackupManifestFile m = manifest(snapshot);
    checkFiles(m, snapshot.id());
    if (m.schemaVersion() == null) {
      throw new BackupException(
          ("schema version: backup %s has none (the database had no Flyway history when it was"
                  + " taken), so its schema cannot be rebuilt")
              .formatted(snapshot.id()));
    }
    String url;
    try {
      url = scratchDatabases.create(scratch.name(), scratch.serverUrl());
    } catch (SQLException e) {
      throw new BackupException(
          "could not create scratch database %s: %s; the backup user needs CREATEDB"
              .formatted(scratch.name(), PgSession.message(e, scratch.serverUrl())),
          e);
    }
    migrate(url, m, snapshot.schemaLocations());
    LOG.info(
        () ->
            "%s: schema at version %s, loading %d tables"
                .formatted(label, m.schemaVersion(), m.tables().size()));
    boolean gzip = "gzip".equals(m.compression());
    try (Connection c = PgSession.open(url, label)) {
      checkTables(c, m);
      boolean replica = replica(c);
      if (!replica) {
        LOG.info(
            () ->
                label
                    + ": this role may not turn foreign keys off (not a superuser): loading one"
                    + " table at a time in dependency order");
      }
      try (Statement s = c.createStatement()) {
        // Migrations may seed rows; the backup holds the rows as they were, seeds included.
        s.execute(
            "truncate "
                + m.tables().stream().map(TableEntry::sql).collect(Collectors.joining(", "))
                + " cascade");
      }
      int[] done = {0};
      Parallel.Work<TableEntry, Long> load =
          (conn, t) -> {
            long rows;
            try {
              rows = TableLoad.load(conn, t, store, prefix + t.file(), gzip);
            } catch (TableLoad.Corrupted e) {
              throw misplaced(t, snapshot.id()).orElse(e);
            }
            int n;
            synchronized (done) {
              n = ++done[0];
            }
            LOG.info(
                () ->
                    "%s: %s %d rows, %.1f MB (%d/%d)"
                        .formatted(
                            label,
                            t.display(),
                            rows,
                            t.rawBytes() / 1048576.0,
                            n,
                            m.tables().size()));
            return rows;
          };
      List<DeferredIndexes.Index> deferred = DeferredIndexes.drop(c, m.tables());
      if (replica) {
        Parallel.run(m.tables(), settings.parallelism(), () -> loader(url, label), load);
      } else {
        for (TableEntry t : m.tables()) {
          withUserTriggersOff(c, t, () -> load.apply(c, t));
        }
      }
      DeferredIndexes.rebuild(deferred, url, settings.parallelism(), label);
      setSequences(c, m);
    } catch (SQLException e) {
      throw new BackupException("%s failed: %s".formatted(label, PgSession.message(e, url)), e);
    }
    return new RestoredDatabase(scratch.name(), url);
  }

  private BackupManifestFile manifest(Snapshot snapshot) throws BackupException {
    String key = prefix + BackupManifestFile.NAME;
    byte[] json;
    try (InputStream in = store.get(key)) {
      json = in.readAllBytes();
    } catch (NoSuchFileException e) {
      throw new BackupException("manifest.json of backup %s is gone".formatted(snapshot.id()));
    } catch (IOException e) {
      throw new BackupException(
          "manifest.json of backup %s cannot be read: %s".formatted(snapshot.id(), e.getMessage()));
    }
    if (!PostgresLogicalSnapshotter.sha256(json).equals(snapshot.fingerprint())) {
      throw new BackupException(
          "manifest.json of backup %s changed while it was being restored"
              .formatted(snapshot.id()));
    }
    return BackupManifestFile.parse(json, store.describe() + "/" + key);
  }

  /** Missing, truncated and misplaced files show before anything is created. */
  private void checkFiles(BackupManifestFile m, String self) throws BackupException {
    Map<String, Long> sizes = new HashMap<>();
    try {
      for (BackupStore.Entry e : store.list(prefix)) {
        sizes.put(e.key().substring(prefix.length()), e.size());
      }
    } catch (IOException e) {
      throw new BackupException("cannot list the files of the backup: " + e.getMessage(), e);
    }
    for (TableEntry t : m.tables()) {
      Long size = sizes.get(t.file());
      String where = "table %s: file %s".formatted(t.display(), t.file());
      if (size == null) {
        throw new BackupException(where + " is missing from the backup");
      }
      if (size != t.bytes()) {
        Optional<BackupException> misplaced = misplaced(t, self);
        if (misplaced.isPresent()) {
          throw misplaced.get();
        }
      }
      if (size < t.bytes()) {
        throw new BackupException(
            "%s is truncated: %d of %d bytes".formatted(where, size, t.bytes()));
      }
      if (size != t.bytes()) {
        throw new BackupException(
            "%s has %d bytes, the manifest says %d: it was altered"
                .formatted(where, size, t.bytes()));
      }
    }
  }

  /**
   * Migrates to the recorded schema version with {@code locations}: those the backup recorded, or
   * those of the release that the ledger says brought the schema there.
   */
  /** A table file that another backup's manifest records: named as that backup's. */
  private Optional<BackupException> misplaced(TableEntry t, String self) {
    String environmentPrefix = prefix.substring(0, prefix.length() - self.length() - 1);
    return Provenance.owner(store, environmentPrefix, self, prefix + t.file())
        .map(
            owner ->
                new BackupException(
                    Provenance.misplaced(
                        "table %s: file %s".formatted(t.display(), t.file()), owner, self)));
  }

  private void migrate(String url, BackupManifestFile m, List<String> locations)
      throws BackupException {
    String version = m.schemaVersion();
    try {
      Flyway flyway =
          Flyway.configure(settings.classLoader())
              .dataSource(url, null, null)
              .locations(locations.toArray(String[]::new))
              .target(version)
              .failOnMissingLocations(true)
              .cleanDisabled(true)
              .load();
      flyway.migrate();
      MigrationInfo current = flyway.info().current();
      String reached =
          current == null || current.getVersion() == null
              ? null
              : current.getVersion().getVersion();
      if (reached == null
          || !MigrationVersion.fromVersion(reached).equals(MigrationVersion.fromVersion(version))) {
        throw new SchemaRebuildException(
            version,
            locations,
            "schema version %s: the migrations at %s rebuild version %s, not %s"
                .formatted(version, locations, reached, version));
      }
    } catch (FlywayException e) {
      String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new SchemaRebuildException(
          version,
          locations,
          "schema version %s: cannot rebuild it with the migrations at %s: %s"
              .formatted(version, locations, PgSession.redact(why, url)));
    }
  }

  private static void checkTables(Connection c, BackupManifestFile m)
      throws SQLException, BackupException {
    try (PreparedStatement ps = c.prepareStatement("select to_regclass(?)")) {
      for (TableEntry t : m.tables()) {
        ps.setString(1, t.sql());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getString(1) == null) {
            throw new BackupException(
                ("table %s: in the backup, but the schema the migrations build at version %s has no"
                        + " such table")
                    .formatted(t.display(), m.schemaVersion()));
          }
        }
      }
    }
  }

  /** Turns foreign keys and triggers off for this session; false when the role may not. */
  private static boolean replica(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("set session_replication_role = replica");
      return true;
    } catch (SQLException e) {
      if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
        return false;
      }
      throw e;
    }
  }

  private static Connection loader(String url, String label) throws Exception {
    Connection c = PgSession.open(url, label);
    try {
      replica(c);
      return c;
    } catch (SQLException e) {
      PgSession.close(c);
      throw e;
    }
  }

  private interface Load {
    long run() throws Exception;
  }

  /** Without replica mode, foreign keys stay on (hence the order) and user triggers go off. */
  private static void withUserTriggersOff(Connection c, TableEntry t, Load load)
      throws BackupException, SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("alter table " + t.sql() + " disable trigger user");
      load.run();
      s.execute("alter table " + t.sql() + " enable trigger user");
    } catch (BackupException | SQLException e) {
      throw e;
    } catch (Exception e) {
      throw new BackupException("table %s: %s".formatted(t.display(), e.getMessage()), e);
    }
  }

  private static void setSequences(Connection c, BackupManifestFile m)
      throws SQLException, BackupException {
    List<SequenceEntry> sequences = m.sequences();
    try (PreparedStatement exists = c.prepareStatement("select to_regclass(?)");
        PreparedStatement set = c.prepareStatement("select setval(?::regclass, ?, ?)")) {
      for (SequenceEntry s : sequences) {
        String sql = PgSession.qualified(s.schema(), s.name());
        exists.setString(1, sql);
        try (ResultSet rs = exists.executeQuery()) {
          rs.next();
          if (rs.getString(1) == null) {
            throw new BackupException(
                "sequence %s: in the backup, but not in the schema at version %s"
                    .formatted(s.display(), m.schemaVersion()));
          }
        }
        set.setString(1, sql);
        set.setLong(2, s.lastValue());
        set.setBoolean(3, s.called());
        set.executeQuery().close();
      }
    }
  }
}
