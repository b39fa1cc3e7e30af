package dev.rollgate.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.backup.BackupReport;
import dev.rollgate.core.backup.BackupService;
import dev.rollgate.core.backup.BackupService.Due;
import dev.rollgate.core.backup.BackupStatus;
import dev.rollgate.core.backup.VerificationReport;
import dev.rollgate.core.port.BackupException;
import java.io.IOException;
import java.time.Duration;

/**
 * The {@code backup} and {@code verifyBackup} functions. With {@code {"app", "environment"}} they
 * run for that environment now; with an empty body (a schedule) they run whatever is due.
 */
public final class BackupApi {

  private final BackupService backups;

  /**
   * @param backups the backup service, or null when no backup store is installed
   */
  public BackupApi(BackupService backups) {
    this.backups = backups;
  }

  public FunctionResponse backup(FunctionRequest request) {
    return run(request, Due.Kind.BACKUP);
  }

  public FunctionResponse verifyBackup(FunctionRequest request) {
    return run(request, Due.Kind.VERIFY);
  }

  /** Where each environment's backups stand, for {@code status}; null without backups. */
  ArrayNode status() {
    if (backups == null) {
      return null;
    }
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (BackupStatus s : backups.status()) {
      out.add(status(s));
    }
    return out;
  }

  static ObjectNode status(BackupStatus s) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("app", s.app());
    n.put("environment", s.environment());
    n.put("newestBackup", s.newestBackup() == null ? null : s.newestBackup().id());
    n.put(
        "newestBackupAt", s.newestBackup() == null ? null : s.newestBackup().takenAt().toString());
    n.put(
        "newestVerifiedBackup",
        s.newestVerifiedBackup() == null ? null : s.newestVerifiedBackup().id());
    n.put("newestVerifiedAgeSeconds", seconds(s.newestVerifiedAge()));
    n.put("rpoSeconds", seconds(s.rpo()));
    n.put("withinRpo", s.withinRpo());
    n.put("summary", s.summary());
    return n;
  }

  private FunctionResponse run(FunctionRequest request, Due.Kind kind) {
    if (backups == null) {
      return Json.error(
          501, "not-configured", "backups are not configured: no backup store is installed");
    }
    JsonNode json;
    try {
      json = request.body().length == 0 ? null : Json.MAPPER.readTree(request.body());
    } catch (IOException e) {
      return Json.error(400, "malformed", "body: malformed JSON");
    }
    if (json != null && !json.isMissingNode() && !json.isObject()) {
      // An array, a string, a number or null is no request: never a scheduled run by accident.
      return Json.error(400, "malformed", "$: expected a JSON object");
    }
    String app;
    String environment;
    try {
      app = json == null ? null : text(json, "app");
      environment = json == null ? null : text(json, "environment");
    } catch (IllegalArgumentException e) {
      return Json.error(400, "malformed", e.getMessage());
    }
    if (app == null && environment == null) {
      return scheduled(kind);
    }
    if (app == null || environment == null) {
      return Json.error(400, "bad-request", "name both $.app and $.environment, or neither");
    }
    try {
      return kind == Due.Kind.BACKUP
          ? Json.ok(200, backupReport(backups.backup(app, environment)))
          : Json.ok(200, verificationReport(backups.verify(app, environment)));
    } catch (IllegalArgumentException e) {
      return Json.error(404, "not-found", e.getMessage());
    } catch (BackupException e) {
      return Json.error(500, "backup-failed", e.getMessage());
    }
  }

  private FunctionResponse scheduled(Due.Kind kind) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode runs = body.putArray("runs");
    for (Due due : backups.due()) {
      if (due.kind() != kind) {
        continue;
      }
      try {
        runs.add(
            kind == Due.Kind.BACKUP
                ? backupReport(backups.backup(due.app(), due.environment()))
                : verificationReport(backups.verify(due.app(), due.environment())));
      } catch (BackupException | RuntimeException e) {
        // One environment's failure must not stop the others; people were alerted already.
        ObjectNode failed = runs.addObject();
        failed.put("app", due.app());
        failed.put("environment", due.environment());
        failed.put("error", e.getMessage());
      }
    }
    return Json.ok(200, body);
  }

  private static ObjectNode backupReport(BackupReport r) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("app", r.backup().app());
    n.put("environment", r.backup().environment());
    n.put("backup", r.backup().id());
    n.put("takenAt", r.backup().takenAt().toString());
    n.put("schemaVersion", r.backup().schemaVersion());
    n.put("tables", r.backup().tables());
    n.put("rows", r.backup().rows());
    n.put("bytes", r.backup().bytes());
    n.set("pruned", Json.MAPPER.valueToTree(r.pruned()));
    n.put("summary", r.summary());
    return n;
  }

  private static ObjectNode verificationReport(VerificationReport r) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("app", r.app());
    n.put("environment", r.environment());
    n.put("backup", r.backupId());
    n.put("passed", r.passed());
    n.put("reason", r.reason());
    ArrayNode checks = n.putArray("checks");
    for (VerificationReport.Check c : r.checks()) {
      checks.addObject().put("name", c.name()).put("passed", c.passed()).put("detail", c.detail());
    }
    n.put("durationMillis", r.duration() == null ? null : r.duration().toMillis());
    n.put("newestVerifiedAgeSeconds", seconds(r.newestVerifiedAge()));
    n.put("rpoExceeded", r.rpoExceeded());
    n.put("summary", r.summary());
    return n;
  }

  private static Long seconds(Duration d) {
    return d == null ? null : d.toSeconds();
  }

  private static String text(JsonNode json, String field) {
    JsonNode n = json.get(field);
    if (n != null && !n.isNull() && !n.isTextual()) {
      throw new IllegalArgumentException("$." + field + ": expected a string");
    }
    return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
  }
}
