package dev.rollgate.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.model.ChainCheck;
import dev.rollgate.core.model.Transition;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * What status's chain check finds, and when: new transitions at once, a transition rewritten in
 * place when its slice of the older log comes round, and the same as a full walk once it does.
 */
class ChainWatchIT {

  @Test
  void check_shouldFindARewrittenTransition_whenItsSliceComesRound() throws Exception {
    // GIVEN a ledger with three deployments' transitions, checked once (a full walk)
    DataSource db = TestPostgres.freshDatabase();
    JdbcLedger ledger = JdbcLedger.migrateAndOpen(db);
    EngineHarness h = new EngineHarness(ledger);
    for (int i = 1; i <= 3; i++) {
      assertEquals(
          202, h.imagePushed(EngineHarness.push("shop", "v" + i, i, "e" + i, null)).status());
    }
    List<Transition> log = ledger.timeline(0, 100);
    assertTrue(log.size() >= 12, log.toString());
    ChainWatch watch = new ChainWatch(3);
    assertEquals(ChainCheck.intact(log.size()), check(db, watch));

    // WHEN more is written THEN the next check verifies it too
    assertEquals(202, h.imagePushed(EngineHarness.push("shop", "v4", 4, "e4", null)).status());
    long all = ledger.timeline(0, 100).size();
    assertEquals(ChainCheck.intact(all), check(db, watch));

    // WHEN the superuser rewrites the tenth transition in place
    long edited = log.get(9).seq();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("alter table transitions disable trigger user");
      s.execute("update transitions set reason = 'approved' where seq = " + edited);
      s.execute("alter table transitions enable trigger user");
    }
    // THEN the checks whose slices (of 3) come before it still say intact; the next names it
    int checks = 0;
    ChainCheck result;
    do {
      result = check(db, watch);
      checks++;
    } while (result.isIntact() && checks < 10);
    assertEquals(edited, result.brokenAt(), result.describe());
    assertTrue(checks <= (edited + 2) / 3 + 1, checks + " checks");
    // AND a full walk agrees, and the check after a break walks the whole log again
    try (Connection c = db.getConnection()) {
      assertEquals(edited, ChainWalk.walk(c).brokenAt());
    }
    assertEquals(edited, check(db, watch).brokenAt());
  }

  private static ChainCheck check(DataSource db, ChainWatch watch) throws Exception {
    try (Connection c = db.getConnection()) {
      return watch.check(c);
    }
  }
}
