package dev.rollgate.ledger;

import dev.rollgate.core.model.DoraFigures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * The DORA figures in two statements, each reading one app and environment's outcomes in the window
 * through the partial index {@code transitions_outcomes} (V6), never the whole log.
 */
final class DoraQuery {

  /** The phases that decide a deployment's outcome: the partial index's predicate, verbatim. */
  static final String OUTCOMES =
      "('SUCCEEDED', 'FAILED', 'ERRORED', 'ROLLED_BACK', 'ROLLBACK_FAILED')";

  private static final String BAD = "('FAILED', 'ERRORED', 'ROLLED_BACK', 'ROLLBACK_FAILED')";

  /** The time between two timestamps in whole microseconds, exactly (numeric). */
  private static String micros(String from, String to) {
    return "((extract(epoch from " + to + ") - extract(epoch from " + from + ")) * 1000000)";
  }

  /**
   * Deployments whose first outcome falls in the window: counts, the median lead time from the
   * first receipt of the digest by the app (any environment) to SUCCEEDED, and from the digest's
   * earliest known commit time (V8) to SUCCEEDED.
   */
  static final String DEPLOYMENTS =
      "with touched as (select distinct deployment_id from transitions"
          + "   where app = ? and environment = ? and to_phase in "
          + OUTCOMES
          + "   and at >= ? and at <= ?),"
          + " per as (select t.deployment_id,"
          + "   min(t.at) filter (where t.to_phase in "
          + OUTCOMES
          + ") as outcome_at,"
          + "   min(t.at) filter (where t.to_phase = 'SUCCEEDED') as succeeded_at,"
          + "   bool_or(t.to_phase in "
          + BAD
          + ") as failed,"
          + "   bool_or(t.configuration_fault) as configuration_fault"
          + "   from touched join transitions t on t.deployment_id = touched.deployment_id"
          + "   group by t.deployment_id),"
          + " counted as (select per.*, coalesce((select min(f.created_at) from deployments f"
          + "     where f.app = d.app and f.image_digest = d.image_digest), d.created_at)"
          + "     as received_at,"
          + "   coalesce((select min(f.committed_at) from deployments f"
          + "     where f.app = d.app and f.image_digest = d.image_digest), d.committed_at)"
          + "     as committed_at"
          + "   from per join deployments d on d.id = per.deployment_id"
          + "   where per.outcome_at >= ? and per.outcome_at <= ? and not per.configuration_fault)"
          + " select count(*),"
          + "   count(*) filter (where succeeded_at is not null and not failed),"
          + "   count(*) filter (where failed),"
          + "   percentile_cont(0.5) within group (order by "
          + micros("received_at", "succeeded_at")
          + "::double precision) filter (where succeeded_at is not null and not failed),"
          + "   percentile_cont(0.5) within group (order by "
          + micros("committed_at", "succeeded_at")
          + "::double precision)"
          + "     filter (where succeeded_at is not null and not failed and committed_at is not null)"
          + " from counted";

  /**
   * Incidents: a failure after the service was touched opens one (unless one is open), the next
   * ROLLED_BACK or SUCCEEDED closes it. Read from the last close before the window on, which is all
   * an incident open during the window can depend on.
   */
  static final String INCIDENTS =
      "with ev as (select seq, at, to_phase in ('SUCCEEDED', 'ROLLED_BACK') as closes"
          + "   from transitions"
          + "   where app = ? and environment = ? and to_phase in "
          + OUTCOMES
          + "   and at <= ?"
          + "   and at >= coalesce((select b.at from transitions b"
          + "     where b.app = ? and b.environment = ? and b.to_phase in "
          + OUTCOMES
          + "     and b.to_phase in ('SUCCEEDED', 'ROLLED_BACK') and b.at < ?"
          + "     order by b.at desc limit 1), '-infinity'::timestamptz)"
          + "   and (to_phase in ('SUCCEEDED', 'ROLLED_BACK')"
          + "     or (to_phase in ('FAILED', 'ERRORED') and from_phase in ('ROLLING_OUT', 'VERIFYING')"
          + "       and not configuration_fault))),"
          + " grouped as (select ev.*, coalesce(sum(case when closes then 1 else 0 end)"
          + "   over (order by seq rows between unbounded preceding and 1 preceding), 0) as grp"
          + "   from ev),"
          + " incidents as (select min(at) filter (where not closes) as failed_at,"
          + "   max(at) filter (where closes) as restored_at"
          + "   from grouped group by grp)"
          + " select count(*) filter (where failed_at >= ? and restored_at is not null),"
          + "   percentile_cont(0.5) within group (order by "
          + micros("failed_at", "restored_at")
          + "::double precision) filter (where failed_at >= ? and restored_at is not null),"
          + "   max(failed_at) filter (where restored_at is null) as failing_since"
          + " from incidents where failed_at is not null";

  private DoraQuery() {}

  static DoraFigures figures(
      Connection c, String app, String environment, Instant since, Instant until)
      throws SQLException {
    int deployments;
    int succeeded;
    int failed;
    Duration leadTime;
    Duration fromCommit;
    try (PreparedStatement ps = c.prepareStatement(DEPLOYMENTS)) {
      ps.setString(1, app);
      ps.setString(2, environment);
      Rows.setInstant(ps, 3, since);
      Rows.setInstant(ps, 4, until);
      Rows.setInstant(ps, 5, since);
      Rows.setInstant(ps, 6, until);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        deployments = rs.getInt(1);
        succeeded = rs.getInt(2);
        failed = rs.getInt(3);
        leadTime = median(rs, 4);
        fromCommit = median(rs, 5);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(INCIDENTS)) {
      ps.setString(1, app);
      ps.setString(2, environment);
      Rows.setInstant(ps, 3, until);
      ps.setString(4, app);
      ps.setString(5, environment);
      Rows.setInstant(ps, 6, since);
      Rows.setInstant(ps, 7, since);
      Rows.setInstant(ps, 8, since);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new DoraFigures(
            app,
            environment,
            LedgerRules.micros(since),
            LedgerRules.micros(until),
            deployments,
            succeeded,
            failed,
            leadTime,
            rs.getInt(1),
            median(rs, 2),
            Rows.instant(rs, "failing_since"),
            fromCommit);
      }
    }
  }

  private static Duration median(ResultSet rs, int column) throws SQLException {
    double micros = rs.getDouble(column);
    return rs.wasNull() ? null : DoraFigures.micros(Math.round(micros));
  }
}
