package dev.rollgate.backup;

import dev.rollgate.core.model.Snapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.api.MigrationVersion;

/**
 * What a backup covers in a PostgreSQL database: the app's tables (not Flyway's history, not an
 * extension's tables, not rollgate's own ledger when it shares the database), the order that
 * satisfies their foreign keys, their sequences, and the Flyway schema version.
 */
final class PgCatalog {

  static final String FLYWAY_HISTORY = "flyway_schema_history";

  /** The ledger's tables (db/rollgate), when the ledger lives in the app's database. */
  private static final Set<String> LEDGER_TABLES =
      Set.of(
          "rollgate_schema_history",
          "received_events",
          "deployments",
          "transitions",
          "backups",
          "backup_verifications");

  private static final String TABLES =
      "select n.nspname, c.relname, pg_relation_size(c.oid)"
          + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
          + " where c.relkind = 'r' and c.relpersistence <> 't'"
          + " and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'"
          + " and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass"
          + " and d.objid = c.oid and d.deptype = 'e')"
          + " order by 1, 2";

  private static final String FOREIGN_KEYS =
      "select cn.nspname, cl.relname, rn.nspname, rl.relname from pg_constraint k join pg_class cl"
          + " on cl.oid = k.conrelid join pg_namespace cn on cn.oid = cl.relnamespace join pg_class"
          + " rl on rl.oid = k.confrelid join pg_namespace rn on rn.oid = rl.relnamespace where"
          + " k.contype = 'f'";

  private static final String SEQUENCES =
      "select n.nspname, s.relname, tn.nspname, t.relname from pg_class s"
          + " join pg_namespace n on n.oid = s.relnamespace"
          + " left join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.oid"
          + " and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')"
          + " left join pg_class t on t.oid = d.refobjid"
          + " left join pg_namespace tn on tn.oid = t.relnamespace"
          + " where s.relkind = 'S' and n.nspname <> 'information_schema'"
          + " and n.nspname not like 'pg\\_%'"
          + " and not exists (select 1 from pg_depend e where e.classid = 'pg_class'::regclass"
          + " and e.objid = s.oid and e.deptype = 'e')"
          + " order by 1, 2";

  private static final String HISTORY_SCHEMA =
      "select n.nspname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
          + " where c.relname = '"
          + FLYWAY_HISTORY
          + "' and c.relkind in ('r', 'p')"
          + " order by (n.nspname = current_schema()) desc, n.nspname limit 1";

  private PgCatalog() {}

  /** A table a backup covers. */
  record TableInfo(String schema, String name, long bytes) {

    String display() {
      return schema + "." + name;
    }

    String sql() {
      return PgSession.qualified(schema, name);
    }
  }

  /** The app's tables, by name. */
  static List<TableInfo> tables(Connection c) throws SQLException {
    List<TableInfo> all = new ArrayList<>();
    Set<String> ledgerSchemas = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(TABLES)) {
      while (rs.next()) {
        TableInfo t = new TableInfo(rs.getString(1), rs.getString(2), rs.getLong(3));
        if (t.name().equals("rollgate_schema_history")) {
          ledgerSchemas.add(t.schema());
        }
        all.add(t);
      }
    }
    List<TableInfo> app = new ArrayList<>();
    for (TableInfo t : all) {
      boolean ledger = ledgerSchemas.contains(t.schema()) && LEDGER_TABLES.contains(t.name());
      if (!ledger && !t.name().equals(FLYWAY_HISTORY)) {
        app.add(t);
      }
    }
    return app;
  }

  /**
   * {@code tables} ordered so that a referenced table comes before the tables that reference it;
   * tables in a cycle of foreign keys keep their name order at the end.
   */
  static List<TableInfo> dependencyOrder(Connection c, List<TableInfo> tables) throws SQLException {
    Map<String, TableInfo> byName = new LinkedHashMap<>();
    tables.forEach(t -> byName.put(t.display(), t));
    Map<String, Set<String>> references = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(FOREIGN_KEYS)) {
      while (rs.next()) {
        String from = rs.getString(1) + "." + rs.getString(2);
        String to = rs.getString(3) + "." + rs.getString(4);
        if (!from.equals(to) && byName.containsKey(from) && byName.containsKey(to)) {
          references.computeIfAbsent(from, k -> new HashSet<>()).add(to);
        }
      }
    }
    List<TableInfo> ordered = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    Deque<String> pending = new ArrayDeque<>(byName.keySet());
    boolean progress = true;
    while (!pending.isEmpty() && progress) {
      progress = false;
      for (int i = pending.size(); i > 0; i--) {
        String name = pending.removeFirst();
        if (placed.containsAll(references.getOrDefault(name, Set.of()))) {
          ordered.add(byName.get(name));
          placed.add(name);
          progress = true;
        } else {
          pending.addLast(name);
        }
      }
    }
    pending.forEach(name -> ordered.add(byName.get(name)));
    return ordered;
  }

  /** The sequences, except those owned by tables a backup does not cover. */
  static List<Snapshot.Sequence> sequences(Connection c, List<TableInfo> covered)
      throws SQLException {
    Set<String> coveredNames = new HashSet<>();
    covered.forEach(t -> coveredNames.add(t.display()));
    List<String[]> names = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(SEQUENCES)) {
      while (rs.next()) {
        String owner = rs.getString(4) == null ? null : rs.getString(3) + "." + rs.getString(4);
        if (owner == null || coveredNames.contains(owner)) {
          names.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    List<Snapshot.Sequence> sequences = new ArrayList<>();
    for (String[] n : names) {
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "select last_value, is_called from " + PgSession.qualified(n[0], n[1]))) {
        rs.next();
        sequences.add(new Snapshot.Sequence(n[0] + "." + n[1], rs.getLong(1), rs.getBoolean(2)));
      }
    }
    return sequences;
  }

  /** The highest version Flyway applied successfully, or null without a Flyway history. */
  static String schemaVersion(Connection c) throws SQLException {
    String schema = null;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(HISTORY_SCHEMA)) {
      if (rs.next()) {
        schema = rs.getString(1);
      }
    }
    if (schema == null) {
      return null;
    }
    List<MigrationVersion> versions = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "select version from "
                    + PgSession.qualified(schema, FLYWAY_HISTORY)
                    + " where success and version is not null");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        versions.add(MigrationVersion.fromVersion(rs.getString(1)));
      }
    }
    return versions.stream()
        .max(Comparator.naturalOrder())
        .map(MigrationVersion::getVersion)
        .orElse(null);
  }
}
