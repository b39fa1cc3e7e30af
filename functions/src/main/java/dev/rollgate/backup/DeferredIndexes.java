package dev.rollgate.backup;

import dev.rollgate.backup.BackupManifestFile.TableEntry;
import dev.rollgate.core.port.BackupException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Secondary indexes are cheaper to build once after a load than to maintain row by row during it
 * (pg_restore does the same): drops the plain indexes of the tables to load, and builds them again
 * afterwards from their own definitions. Indexes behind constraints (primary keys, unique
 * constraints, foreign keys' targets), replica-identity and clustered indexes stay in place.
 */
final class DeferredIndexes {

  private static final Logger LOG = Logger.getLogger("rollgate.backup");

  private static final String PLAIN_INDEXES =
      "select quote_ident(n.nspname) || '.' || quote_ident(ic.relname),"
          + " pg_get_indexdef(i.indexrelid) from pg_index i join pg_class ic on ic.oid ="
          + " i.indexrelid join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid ="
          + " ic.relnamespace where c.oid = any(?::text[]::regclass[]) and not i.indisreplident and"
          + " not i.indisclustered and not exists (select 1 from pg_constraint k where k.conindid ="
          + " i.indexrelid) order by pg_relation_size(c.oid) desc, 1";

  /** An index to build again: its quoted name and its CREATE INDEX statement. */
  record Index(String name, String definition) {}

  private DeferredIndexes() {}

  static List<Index> drop(Connection c, List<TableEntry> tables) throws SQLException {
    List<Index> dropped = new ArrayList<>();
    Array names = c.createArrayOf("text", tables.stream().map(TableEntry::sql).toArray());
    try (PreparedStatement ps = c.prepareStatement(PLAIN_INDEXES)) {
      ps.setArray(1, names);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          dropped.add(new Index(rs.getString(1), rs.getString(2)));
        }
      }
    }
    try (Statement s = c.createStatement()) {
      for (Index index : dropped) {
        s.execute("drop index " + index.name());
      }
    }
    return dropped;
  }

  static void rebuild(List<Index> indexes, String url, int parallelism, String label)
      throws BackupException {
    Parallel.run(
        indexes,
        parallelism,
        () -> {
          Connection c = PgSession.open(url, label);
          try (Statement s = c.createStatement()) {
            s.execute("set maintenance_work_mem = '256MB'");
          }
          return c;
        },
        (c, index) -> {
          try (Statement s = c.createStatement()) {
            s.execute(index.definition());
          } catch (SQLException e) {
            throw new BackupException(
                "%s: index %s could not be built again: %s"
                    .formatted(label, index.name(), PgSession.message(e, url)));
          }
          LOG.info(() -> "%s: index %s built".formatted(label, index.name()));
          return index;
        });
  }
}
