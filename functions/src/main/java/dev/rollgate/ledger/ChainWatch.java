package dev.rollgate.ledger;

import dev.rollgate.core.model.ChainCheck;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The hash chain checked for {@code status} at a cost that does not grow with the log: after one
 * full walk, each check verifies the transitions written since the last one, that the newest
 * transition of each chain still holds the hash it had, and the next slice of {@link #SLICE} older
 * transitions, so that the whole log is verified again every {@code ceil(n / SLICE)} checks. Each
 * part is verified against the stored hash of the transition before it in its chain, so a row
 * rewritten in place is found when its slice comes round (at once in a log of at most {@link
 * #SLICE} transitions), a rewrite that recomputed the hashes after it at the next check. A full
 * walk ({@link ChainWalk}, what {@code verify-ledger} asks for) runs on the first check and again
 * after a break.
 */
final class ChainWatch {

  /** Older transitions re-verified per check. */
  static final int SLICE = 5_000;

  private final int slice;

  private static final String RANGE =
      "select * from transitions where seq > ? and seq <= ? order by seq limit ?";
  private static final String BEFORE =
      "select hash from transitions where app = ? and environment = ? and seq < ?"
          + " order by seq desc limit 1";
  private static final String HEADS =
      "select app, environment, max(seq) as seq from transitions group by app, environment";

  private boolean walked;
  private long verifiedUpTo;
  private long transitions;
  private long sweptUpTo;
  // chain -> {seq, hash} of its newest verified transition
  private final Map<String, Object[]> heads = new HashMap<>();

  ChainWatch() {
    this(SLICE);
  }

  /** With slices of {@code slice} transitions (tests use small ones). */
  ChainWatch(int slice) {
    this.slice = slice;
  }

  synchronized ChainCheck check(Connection c) throws SQLException {
    if (!walked) {
      return full(c);
    }
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      // The newest transition of each chain still holds its hash.
      try (PreparedStatement ps =
          c.prepareStatement("select hash from transitions where seq = ?")) {
        for (Object[] head : heads.values()) {
          ps.setLong(1, (Long) head[0]);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || !head[1].equals(rs.getString(1))) {
              c.commit();
              walked = false;
              return full(c);
            }
          }
        }
      }
      // What was written since the last check.
      Part fresh = verify(c, verifiedUpTo, Long.MAX_VALUE, Integer.MAX_VALUE);
      if (!fresh.result.isIntact()) {
        c.commit();
        walked = false;
        return fresh.result;
      }
      transitions += fresh.count;
      verifiedUpTo = Math.max(verifiedUpTo, fresh.last);
      heads.putAll(fresh.heads);
      // The next slice of the older log, from the start again once it reached the end.
      if (sweptUpTo >= verifiedUpTo) {
        sweptUpTo = 0;
      }
      Part older = verify(c, sweptUpTo, verifiedUpTo, slice);
      c.commit();
      if (!older.result.isIntact()) {
        walked = false;
        return older.result;
      }
      sweptUpTo = older.count < slice ? verifiedUpTo : older.last;
      return ChainCheck.intact(transitions);
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /** The whole log, and where each chain ends for the checks after it. */
  private ChainCheck full(Connection c) throws SQLException {
    ChainCheck result = ChainWalk.walk(c);
    if (!result.isIntact()) {
      return result;
    }
    heads.clear();
    verifiedUpTo = 0;
    try (PreparedStatement ps = c.prepareStatement(HEADS);
        PreparedStatement hash = c.prepareStatement("select hash from transitions where seq = ?");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long seq = rs.getLong("seq");
        hash.setLong(1, seq);
        try (ResultSet h = hash.executeQuery()) {
          if (h.next()) {
            heads.put(
                TransitionChain.chain(rs.getString("app"), rs.getString("environment")),
                new Object[] {seq, h.getString(1)});
          }
        }
        verifiedUpTo = Math.max(verifiedUpTo, seq);
      }
    }
    // Rows written between the walk and the heads are verified by the next check's slice.
    transitions = result.transitions();
    sweptUpTo = 0;
    walked = true;
    return result;
  }

  /** What one part of the log showed. */
  private record Part(ChainCheck result, long count, long last, Map<String, Object[]> heads) {}

  /**
   * The transitions with {@code after < seq <= upTo}, at most {@code limit}, each chain checked on
   * from the stored hash of its transition before the part.
   */
  private static Part verify(Connection c, long after, long upTo, int limit) throws SQLException {
    TransitionChain chain = new TransitionChain();
    Map<String, Object[]> heads = new HashMap<>();
    long count = 0;
    long last = after;
    try (PreparedStatement ps = c.prepareStatement(RANGE);
        PreparedStatement before = c.prepareStatement(BEFORE)) {
      ps.setFetchSize(2_000);
      ps.setLong(1, after);
      ps.setLong(2, upTo);
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          TransitionChain.Row row = ChainWalk.row(rs);
          String name = TransitionChain.chain(row.app(), row.environment());
          if (!chain.knows(name)) {
            before.setString(1, row.app());
            before.setString(2, row.environment());
            before.setLong(3, row.seq());
            try (ResultSet b = before.executeQuery()) {
              chain.seed(name, b.next() ? b.getString(1) : null);
            }
          }
          String stored = rs.getString("hash");
          if (!chain.accept(row, stored)) {
            return new Part(chain.result(), count, last, heads);
          }
          heads.put(name, new Object[] {row.seq(), stored});
          count++;
          last = row.seq();
        }
      }
    }
    return new Part(ChainCheck.intact(count), count, last, heads);
  }
}
