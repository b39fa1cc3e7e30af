package dev.rollgate.ledger;

import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Hands an app+environment's active slot to its newest pending deployment, in one transaction
 * serialised per app+environment by an advisory lock.
 */
final class ClaimNext {

  /** Unique violation, serialization failure, deadlock: another claimer won, which is fine. */
  private static final Set<String> LOST_RACE = Set.of("23505", "40001", "40P01");

  private static final String LOCK = "select pg_advisory_xact_lock(hashtext(? || '/' || ?))";

  private static final String ACTIVE =
      "select 1 from deployments where app = ? and environment = ? and active";

  private static final String PENDING =
      "select "
          + Rows.DEPLOYMENT_COLUMNS
          + " from deployments where app = ? and environment = ? and phase = 'PENDING'"
          + " order by pushed_at desc, seq desc for update";

  private static final String NEWEST_STARTED =
      "select "
          + Rows.DEPLOYMENT_COLUMNS
          + " from deployments where app = ? and environment = ?"
          + " and phase not in ("
          + LedgerRules.NEVER_STARTED.stream()
              .map(p -> "'" + p.name() + "'")
              .sorted()
              .collect(Collectors.joining(", "))
          + ")"
          + " order by pushed_at desc, seq desc limit 1";

  private static final String SUPERSEDE =
      "update deployments set phase = 'SUPERSEDED', version = version + 1, updated_at = ?,"
          + " detail = ? where id = ? returning "
          + Rows.DEPLOYMENT_COLUMNS;

  private static final String TAKE_SLOT =
      "update deployments set active = true, version = version + 1, updated_at = ?"
          + " where id = ? returning "
          + Rows.DEPLOYMENT_COLUMNS;

  private final Jdbc jdbc;

  ClaimNext(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Deployment> claim(String app, String environment, String actor, Instant now) {
    Instant at = LedgerRules.micros(now);
    String operation = "claimNext(" + app + "/" + environment + ")";
    try {
      return jdbc.inTransaction(operation, c -> claim(c, app, environment, actor, at));
    } catch (LedgerException e) {
      if (LOST_RACE.contains(e.sqlState())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static Optional<Deployment> claim(
      Connection c, String app, String environment, String actor, Instant at) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement(LOCK)) {
      lock.setString(1, app);
      lock.setString(2, environment);
      lock.execute();
    }
    if (exists(c, ACTIVE, app, environment)) {
      return Optional.empty();
    }
    List<Deployment> pending = select(c, PENDING, app, environment);
    Optional<Deployment> started = select(c, NEWEST_STARTED, app, environment).stream().findFirst();
    Deployment winner = null;
    for (Deployment candidate : pending) {
      if (winner != null) {
        supersede(c, candidate, at, actor, LedgerRules.supersededBy(winner));
      } else if (started.isPresent() && started.get().pushedAt().isAfter(candidate.pushedAt())) {
        supersede(c, candidate, at, actor, LedgerRules.olderThanStarted(started.get()));
      } else {
        winner = candidate;
      }
    }
    if (winner == null) {
      return Optional.empty();
    }
    try (PreparedStatement ps = c.prepareStatement(TAKE_SLOT)) {
      Rows.setInstant(ps, 1, at);
      ps.setString(2, winner.id());
      return Rows.deployments(ps).stream().findFirst();
    }
  }

  private static void supersede(Connection c, Deployment d, Instant at, String actor, String why)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SUPERSEDE)) {
      Rows.setInstant(ps, 1, at);
      ps.setString(2, why);
      ps.setString(3, d.id());
      Deployment next = Rows.deployments(ps).get(0);
      Rows.insertTransition(c, next, Phase.PENDING, at, actor, why);
    }
  }

  private static boolean exists(Connection c, String sql, String app, String environment)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, app);
      ps.setString(2, environment);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static List<Deployment> select(Connection c, String sql, String app, String environment)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, app);
      ps.setString(2, environment);
      return Rows.deployments(ps);
    }
  }
}
