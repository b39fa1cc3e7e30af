package dev.rollgate.ledger;

import dev.rollgate.core.model.AbortRequest;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.port.Ledger.AbortOutcome;
import java.sql.PreparedStatement;
import java.util.Optional;

/**
 * Records an abort request in one transaction: the deployment's row is locked, so that the request
 * and a concurrent save, claim or second request are ordered; the version is bumped, so that a run
 * holding an older copy fails its next save and reads the request.
 */
final class RequestAbort {

  private static final String LOCK =
      "select " + Rows.DEPLOYMENT_COLUMNS + " from deployments where id = ? for update";

  private static final String UPDATE =
      "update deployments set "
          + Rows.ABORT_ASSIGNMENTS
          + " where id = ? returning "
          + Rows.DEPLOYMENT_COLUMNS;

  private RequestAbort() {}

  static Optional<AbortOutcome> request(Jdbc jdbc, String deploymentId, AbortRequest request) {
    return jdbc.inTransaction(
        "requestAbort(" + deploymentId + ")",
        c -> {
          Deployment current;
          try (PreparedStatement ps = c.prepareStatement(LOCK)) {
            ps.setString(1, deploymentId);
            current = Rows.deployments(ps).stream().findFirst().orElse(null);
          }
          if (current == null) {
            return Optional.empty();
          }
          Optional<Deployment> next = LedgerRules.abort(current, request);
          if (next.isEmpty()) {
            return Optional.of(new AbortOutcome(current, false));
          }
          Deployment stored;
          try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            int i = Rows.bindAbort(ps, 1, next.get());
            ps.setString(i, deploymentId);
            stored = Rows.deployments(ps).get(0);
          }
          Rows.insertTransition(
              c,
              stored,
              current.phase(),
              stored.updatedAt(),
              LedgerRules.abortActor(request),
              stored.detail());
          return Optional.of(new AbortOutcome(stored, true));
        });
  }
}
