package dev.rollgate.ledger;

import dev.rollgate.core.model.BackupRecord;
import dev.rollgate.core.model.VerificationRecord;
import dev.rollgate.core.port.BackupCatalog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@link BackupCatalog} in the ledger's database (tables {@code backups} and {@code
 * backup_verifications}, migration V2): one connection per call. Instants are kept to the
 * microsecond, durations to the millisecond.
 */
public final class JdbcBackupCatalog implements BackupCatalog {

  private static final String FOREIGN_KEY_VIOLATION = "23503";

  private static final String COLUMNS =
      "b.id, b.app, b.environment, b.kind, b.taken_at, b.took_ms, b.schema_version, b.tables,"
          + " b.row_count, b.bytes, b.fingerprint, b.location";

  private static final String LIVE =
      "select "
          + COLUMNS
          + " from backups b where b.app = ? and b.environment = ?"
          + " and b.deleted_at is null";

  private static final String NEWEST_VERIFIED =
      LIVE
          + " and (select v.passed from backup_verifications v where v.app = b.app"
          + " and v.environment = b.environment and v.backup_id = b.id"
          + " order by v.started_at desc, v.seq desc limit 1)"
          + " order by b.taken_at desc, b.id desc limit 1";

  private static final String VERIFICATION_COLUMNS =
      "backup_id, app, environment, started_at, duration_ms, passed, reason,"
          + " newest_verified_age_ms";

  private final Jdbc jdbc;

  /** Opens the catalog on the ledger's database, whose schema {@link JdbcLedger} migrates. */
  public JdbcBackupCatalog(DataSource dataSource) {
    this.jdbc = new Jdbc(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** Brings the ledger's schema (V2 holds the catalog) up to date, then opens the catalog. */
  public static JdbcBackupCatalog migrateAndOpen(DataSource dataSource) {
    new JdbcLedger(dataSource).migrate();
    return new JdbcBackupCatalog(dataSource);
  }

  @Override
  public void recordBackup(BackupRecord b) {
    jdbc.statement(
        "recordBackup(" + b.app() + "/" + b.environment() + " " + b.id() + ")",
        "insert into backups (id, app, environment, kind, taken_at, took_ms, schema_version,"
            + " tables, row_count, bytes, fingerprint, location)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
        ps -> {
          int i = 1;
          ps.setString(i++, b.id());
          ps.setString(i++, b.app());
          ps.setString(i++, b.environment());
          ps.setString(i++, b.kind());
          Rows.setInstant(ps, i++, b.takenAt());
          ps.setLong(i++, b.took().toMillis());
          ps.setString(i++, b.schemaVersion());
          ps.setInt(i++, b.tables());
          ps.setLong(i++, b.rows());
          ps.setLong(i++, b.bytes());
          ps.setString(i++, b.fingerprint());
          ps.setString(i, b.location());
        },
        PreparedStatement::executeUpdate);
  }

  @Override
  public void recordDeleted(String app, String environment, String backupId, Instant at) {
    jdbc.statement(
        "recordDeleted(" + app + "/" + environment + " " + backupId + ")",
        "update backups set deleted_at = ? where app = ? and environment = ? and id = ?"
            + " and deleted_at is null",
        ps -> {
          Rows.setInstant(ps, 1, at);
          ps.setString(2, app);
          ps.setString(3, environment);
          ps.setString(4, backupId);
        },
        PreparedStatement::executeUpdate);
  }

  @Override
  public void recordVerification(VerificationRecord v) {
    String operation =
        "recordVerification(" + v.app() + "/" + v.environment() + " " + v.backupId() + ")";
    try {
      jdbc.statement(
          operation,
          "insert into backup_verifications ("
              + VERIFICATION_COLUMNS
              + ")"
              + " values (?, ?, ?, ?, ?, ?, ?, ?)",
          ps -> {
            ps.setString(1, v.backupId());
            ps.setString(2, v.app());
            ps.setString(3, v.environment());
            Rows.setInstant(ps, 4, v.startedAt());
            ps.setLong(5, v.duration().toMillis());
            ps.setBoolean(6, v.passed());
            ps.setString(7, v.reason());
            if (v.newestVerifiedAge() == null) {
              ps.setNull(8, Types.BIGINT);
            } else {
              ps.setLong(8, v.newestVerifiedAge().toMillis());
            }
          },
          PreparedStatement::executeUpdate);
    } catch (LedgerException e) {
      if (FOREIGN_KEY_VIOLATION.equals(e.sqlState())) {
        throw new IllegalArgumentException(
            "backup %s of %s/%s was never recorded; record the backup before its verification"
                .formatted(v.backupId(), v.app(), v.environment()),
            e);
      }
      throw e;
    }
  }

  @Override
  public Optional<BackupRecord> find(String app, String environment, String backupId) {
    return backups(
            "find(" + backupId + ")",
            "select "
                + COLUMNS
                + " from backups b where b.app = ? and b.environment = ? and b.id = ?",
            app,
            environment,
            backupId)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<BackupRecord> newestBackup(String app, String environment) {
    return backups(
            "newestBackup",
            LIVE + " order by b.taken_at desc, b.id desc limit 1",
            app,
            environment,
            null)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<BackupRecord> newestVerifiedBackup(String app, String environment) {
    return backups("newestVerifiedBackup", NEWEST_VERIFIED, app, environment, null).stream()
        .findFirst();
  }

  @Override
  public List<BackupRecord> backups(String app, String environment, int limit) {
    return backups(
        "backups",
        LIVE + " order by b.taken_at desc, b.id desc limit " + Math.max(0, limit),
        app,
        environment,
        null);
  }

  @Override
  public Optional<VerificationRecord> lastVerification(String app, String environment) {
    return verifications(
            "lastVerification",
            "select "
                + VERIFICATION_COLUMNS
                + " from backup_verifications"
                + " where app = ? and environment = ? order by started_at desc, seq desc limit 1",
            app,
            environment,
            null)
        .stream()
        .findFirst();
  }

  @Override
  public List<VerificationRecord> verifications(String app, String environment, String backupId) {
    return verifications(
        "verifications(" + backupId + ")",
        "select "
            + VERIFICATION_COLUMNS
            + " from backup_verifications"
            + " where app = ? and environment = ? and backup_id = ?"
            + " order by started_at desc, seq desc",
        app,
        environment,
        backupId);
  }

  private List<BackupRecord> backups(
      String operation, String sql, String app, String environment, String third) {
    return jdbc.statement(
        operation + " of " + app + "/" + environment,
        sql,
        ps -> bind(ps, app, environment, third),
        ps -> {
          List<BackupRecord> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new BackupRecord(
                      rs.getString("id"),
                      rs.getString("app"),
                      rs.getString("environment"),
                      rs.getString("kind"),
                      Rows.instant(rs, "taken_at"),
                      Duration.ofMillis(rs.getLong("took_ms")),
                      rs.getString("schema_version"),
                      rs.getInt("tables"),
                      rs.getLong("row_count"),
                      rs.getLong("bytes"),
                      rs.getString("fingerprint"),
                      rs.getString("location")));
            }
          }
          return out;
        });
  }

  private List<VerificationRecord> verifications(
      String operation, String sql, String app, String environment, String third) {
    return jdbc.statement(
        operation + " of " + app + "/" + environment,
        sql,
        ps -> bind(ps, app, environment, third),
        ps -> {
          List<VerificationRecord> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              long ageMillis = rs.getLong("newest_verified_age_ms");
              Duration age = rs.wasNull() ? null : Duration.ofMillis(ageMillis);
              out.add(
                  new VerificationRecord(
                      rs.getString("backup_id"),
                      rs.getString("app"),
                      rs.getString("environment"),
                      Rows.instant(rs, "started_at"),
                      Duration.ofMillis(rs.getLong("duration_ms")),
                      rs.getBoolean("passed"),
                      rs.getString("reason"),
                      age));
            }
          }
          return out;
        });
  }

  private static void bind(PreparedStatement ps, String app, String environment, String third)
      throws SQLException {
    ps.setString(1, app);
    ps.setString(2, environment);
    if (third != null) {
      ps.setString(3, third);
    }
  }
}
