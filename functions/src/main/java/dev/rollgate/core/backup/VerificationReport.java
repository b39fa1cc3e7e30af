package dev.rollgate.core.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one restore test found.
 *
 * @param backupId the backup it restored, or null when there was none
 * @param takenAt when that backup was taken, or null
 * @param reason the first failed check ({@code name: detail}), or null when it passed
 * @param checks every check in the order it ran
 * @param newestVerifiedAge the age of the newest verified backup afterwards, or null when none is
 * @param rpoExceeded no verified backup, or the newest is older than the RPO
 */
public record VerificationReport(
    String app,
    String environment,
    String backupId,
    Instant takenAt,
    boolean passed,
    String reason,
    List<Check> checks,
    Duration duration,
    Duration newestVerifiedAge,
    Duration rpo,
    boolean rpoExceeded) {

  public VerificationReport {
    checks = List.copyOf(checks);
  }

  /** One line for people. */
  public String summary() {
    String age =
        newestVerifiedAge == null
            ? "no verified backup"
            : "newest verified backup " + Durations.text(newestVerifiedAge) + " old";
    String rpoText = " (RPO " + Durations.text(rpo) + (rpoExceeded ? ", EXCEEDED)" : ", within)");
    if (backupId == null) {
      return "%s/%s: nothing to verify: %s; %s%s".formatted(app, environment, reason, age, rpoText);
    }
    return passed
        ? "backup %s of %s/%s verified in %s: %s; %s%s"
            .formatted(
                backupId, app, environment, Durations.text(duration), details(), age, rpoText)
        : "backup %s of %s/%s FAILED verification: %s; %s%s"
            .formatted(backupId, app, environment, reason, age, rpoText);
  }

  private String details() {
    return checks.stream()
        .filter(c -> c.name().equals("tables"))
        .map(Check::detail)
        .findFirst()
        .orElse("restored");
  }

  /** One check of a verification. */
  public record Check(String name, boolean passed, String detail) {

    static Check pass(String name, String detail) {
      return new Check(name, true, detail);
    }

    static Check fail(String name, String detail) {
      return new Check(name, false, detail);
    }
  }
}
