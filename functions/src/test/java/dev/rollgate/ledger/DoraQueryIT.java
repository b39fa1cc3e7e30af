package dev.rollgate.ledger;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The DORA statements read the window through the V6 indexes, never the whole log: PostgreSQL's
 * plan for each names them (with sequential scans priced out, so that a tiny test table does not
 * hide an index the planner could not use).
 */
class DoraQueryIT {

  @Test
  void dora_shouldReadThroughTheOutcomeAndReceiptIndexes_whenPlanned() throws Exception {
    // GIVEN a ledger with a success and a failure written by the engine
    DataSource ds = TestPostgres.freshDatabase();
    EngineHarness h = new EngineHarness(JdbcLedger.migrateAndOpen(ds));
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    h.unhealthyTags.add("v2");
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    Instant until = h.clock.now();
    Instant since = until.minusSeconds(86400);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("analyze");
      s.execute("set enable_seqscan = off");
      // WHEN both statements are explained with the parameters dora binds
      String deployments =
          plan(c, DoraQuery.DEPLOYMENTS, "shop", "staging", since, until, since, until);
      String incidents =
          plan(
              c,
              DoraQuery.INCIDENTS,
              "shop",
              "staging",
              until,
              "shop",
              "staging",
              since,
              since,
              since);
      // THEN the window is read through the partial outcome index, receipts through theirs
      assertTrue(deployments.contains("transitions_outcomes"), deployments);
      assertTrue(deployments.contains("deployments_received"), deployments);
      assertTrue(incidents.contains("transitions_outcomes"), incidents);
      assertTrue(!incidents.contains("Seq Scan on transitions"), incidents);
    }
  }

  private static String plan(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("explain " + sql)) {
      for (int i = 0; i < parameters.length; i++) {
        if (parameters[i] instanceof Instant at) {
          ps.setObject(i + 1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        } else {
          ps.setString(i + 1, (String) parameters[i]);
        }
      }
      StringBuilder out = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.append(rs.getString(1)).append('\n');
        }
      }
      return out.toString();
    }
  }
}
