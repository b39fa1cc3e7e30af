package dev.rollgate.core.manifest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads an environment's {@code backup:} settings. */
final class BackupParser extends YamlReader {
  BackupParser(List<String> problems) {
    super(problems);
  }

  BackupSpec backup(
      Object node, String envPath, Map<String, Object> env, MigrationSpec migrations) {
    String path = envPath + ".backup";
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "database", "schedule", "verifySchedule", "retention", "rpo", "verify");
    SecretRef database = secret(map.get("database"), path + ".database", false);
    if (database == null && map.get("database") == null) {
      if (migrations != null) {
        database = migrations.database();
      } else if (env.get("migrations") == null) {
        problem(
            path + ".database",
            "missing: name the secret holding the database's JDBC URL, e.g. env:SHOP_DB");
      }
    }
    if (env.get("migrations") == null) {
      problem(
          path,
          "needs migrations.flyway in this environment: a restore rebuilds the schema with the"
              + " app's migrations, then loads the data");
    }
    Duration schedule = every(map.get("schedule"), path + ".schedule", BackupSpec.DEFAULT_SCHEDULE);
    Duration verifySchedule = every(map.get("verifySchedule"), path + ".verifySchedule", schedule);
    int retention =
        integer(map.get("retention"), path + ".retention", BackupSpec.DEFAULT_RETENTION);
    if (retention < 1) {
      problem(path + ".retention", "must be at least 1 (how many of the newest backups to keep)");
    }
    Duration rpo = null;
    if (map.get("rpo") == null) {
      problem(
          path + ".rpo",
          "missing: the recovery point objective, e.g. 24h: how old the newest verified backup"
              + " may get");
    } else {
      rpo = longDuration(map.get("rpo"), path + ".rpo");
      if (rpo != null && rpo.compareTo(schedule) < 0) {
        problem(
            path + ".rpo",
            "shorter than the schedule (every "
                + text(schedule)
                + "): the newest verified backup would always be too old");
      }
    }
    List<BackupSpec.VerifyQuery> verify = new ArrayList<>();
    Object verifyNode = map.get("verify");
    if (verifyNode != null && !(verifyNode instanceof List)) {
      problem(path + ".verify", "expected a list of {sql, expect}");
    } else if (verifyNode instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        BackupSpec.VerifyQuery q = verifyQuery(list.get(i), path + ".verify[" + i + "]");
        if (q != null) {
          verify.add(q);
        }
      }
    }
    if (database == null || rpo == null) {
      return null;
    }
    return new BackupSpec(database, schedule, verifySchedule, retention, rpo, verify);
  }

  private BackupSpec.VerifyQuery verifyQuery(Object node, String path) {
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "sql", "expect");
    String sql = string(map.get("sql"), path + ".sql", true);
    String expectText = string(map.get("expect"), path + ".expect", true);
    BackupSpec.Expectation expect = null;
    if (expectText != null) {
      expect = BackupSpec.Expectation.parse(expectText);
      if (expect == null) {
        problem(
            path + ".expect",
            "expected a comparison with a number, quoted, e.g. \"> 0\", \"= 5\", \">= 1\"; got '"
                + expectText
                + "'");
      }
    }
    return sql == null || expect == null ? null : new BackupSpec.VerifyQuery(sql, expect);
  }
}
