package dev.rollgate.ledger;

import dev.rollgate.core.model.ChainCheck;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads the whole transition log oldest first, in batches, and recomputes its hash chain. */
final class ChainWalk {

  private static final int FETCH = 2_000;

  private ChainWalk() {}

  static ChainCheck walk(Connection c) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    // A cursor (fetch size honoured) needs a transaction; one snapshot for the whole walk.
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("select * from transitions order by seq")) {
      ps.setFetchSize(FETCH);
      TransitionChain chain = new TransitionChain();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!chain.accept(row(rs), rs.getString("hash"))) {
            break;
          }
        }
      }
      c.commit();
      return chain.result();
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /** A stored transition as the chain hashes it. */
  static TransitionChain.Row row(ResultSet rs) throws SQLException {
    return new TransitionChain.Row(
        rs.getLong("seq"),
        rs.getString("deployment_id"),
        rs.getString("app"),
        rs.getString("environment"),
        rs.getString("from_phase"),
        rs.getString("to_phase"),
        Rows.instant(rs, "at"),
        rs.getString("actor"),
        rs.getString("reason"),
        rs.getString("image_digest"),
        rs.getBoolean("configuration_fault"));
  }
}
