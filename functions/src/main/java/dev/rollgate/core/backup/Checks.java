package dev.rollgate.core.backup;

import dev.rollgate.core.backup.VerificationReport.Check;
import dev.rollgate.core.manifest.BackupSpec.VerifyQuery;
import dev.rollgate.core.model.Snapshot;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.DatabaseInspector;
import dev.rollgate.core.port.DatabaseInspector.State;
import dev.rollgate.core.port.Snapshotter.RestoredDatabase;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Compares what a restore produced with what the backup says it holds. */
final class Checks {

  private static final int MAX_LISTED = 5;

  private Checks() {}

  static Check schemaVersion(Snapshot expected, State actual) {
    if (Objects.equals(expected.schemaVersion(), actual.schemaVersion())) {
      return Check.pass("schema version", "at " + expected.schemaVersion());
    }
    return Check.fail(
        "schema version",
        "the restored database is at %s, the backup was taken at %s"
            .formatted(actual.schemaVersion(), expected.schemaVersion()));
  }

  static Check tables(Snapshot expected, State actual) {
    if (expected.tables().isEmpty()) {
      return Check.pass(
          "tables",
          "%d tables restored; this kind of backup records no row counts"
              .formatted(actual.tables().size()));
    }
    Map<String, Snapshot.Table> restored = new LinkedHashMap<>();
    actual.tables().forEach(t -> restored.put(t.name(), t));
    List<String> problems = new ArrayList<>();
    for (Snapshot.Table want : expected.tables()) {
      Snapshot.Table got = restored.remove(want.name());
      if (got == null) {
        problems.add("table " + want.name() + ": missing from the restored database");
      } else if (got.rows() != want.rows()) {
        problems.add(
            "table %s: %d rows restored, the backup holds %d"
                .formatted(want.name(), got.rows(), want.rows()));
      } else if (!Objects.equals(got.checksum(), want.checksum())) {
        problems.add(
            "table %s: checksum %s of the restored rows differs from the backup's %s"
                .formatted(want.name(), got.checksum(), want.checksum()));
      }
    }
    for (Snapshot.Table extra : restored.values()) {
      problems.add(
          "table %s: in the schema at version %s but not in the backup"
              .formatted(extra.name(), expected.schemaVersion()));
    }
    if (!problems.isEmpty()) {
      return Check.fail("tables", list(problems));
    }
    return Check.pass(
        "tables",
        "%d tables, %d rows, row counts and checksums equal"
            .formatted(expected.tables().size(), expected.rows()));
  }

  static Check sequences(Snapshot expected, State actual) {
    Map<String, Snapshot.Sequence> restored = new LinkedHashMap<>();
    actual.sequences().forEach(s -> restored.put(s.name(), s));
    List<String> problems = new ArrayList<>();
    for (Snapshot.Sequence want : expected.sequences()) {
      Snapshot.Sequence got = restored.get(want.name());
      if (got == null) {
        problems.add("sequence " + want.name() + ": missing from the restored database");
      } else if (!got.equals(want)) {
        problems.add(
            "sequence %s: restored at %d%s, the backup says %d%s"
                .formatted(
                    want.name(),
                    got.lastValue(),
                    got.called() ? "" : " (not called)",
                    want.lastValue(),
                    want.called() ? "" : " (not called)"));
      }
    }
    return problems.isEmpty()
        ? Check.pass("sequences", expected.sequences().size() + " sequences equal")
        : Check.fail("sequences", list(problems));
  }

  static Check query(
      int index, VerifyQuery q, DatabaseInspector inspector, RestoredDatabase database) {
    String name = "query " + (index + 1);
    String answer;
    try {
      answer = inspector.query(database, q.sql());
    } catch (BackupException e) {
      return Check.fail(name, "'" + q.sql() + "' failed: " + e.getMessage());
    }
    BigDecimal value;
    try {
      value = new BigDecimal(String.valueOf(answer).trim());
    } catch (NumberFormatException e) {
      return Check.fail(
          name,
          "'%s' answered '%s', not a number (expected %s)".formatted(q.sql(), answer, q.expect()));
    }
    String detail = "'%s' answered %s, expected %s".formatted(q.sql(), answer, q.expect());
    return q.expect().test(value) ? Check.pass(name, detail) : Check.fail(name, detail);
  }

  private static String list(List<String> problems) {
    if (problems.size() <= MAX_LISTED) {
      return String.join("; ", problems);
    }
    return String.join("; ", problems.subList(0, MAX_LISTED))
        + "; and "
        + (problems.size() - MAX_LISTED)
        + " more";
  }
}
