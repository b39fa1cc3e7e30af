package dev.rollgate.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.model.Transition;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** {@code status} over the PostgreSQL ledger says whether its transition log is intact. */
class LedgerStatusIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void status_shouldNameTheTransition_whenTheLogWasEditedBehindTheLedgersBack() throws Exception {
    // GIVEN a ledger with a deployment that went through its phases
    DataSource db = TestPostgres.freshDatabase();
    EngineHarness h = new EngineHarness(JdbcLedger.migrateAndOpen(db));
    assertEquals(202, h.imagePushed(EngineHarness.push("shop", "v1", 1, "e-1", null)).status());
    h.reconcile();
    JsonNode before = status(h);
    assertEquals("intact", before.path("ledger").path("chain").asText(), before.toString());
    List<Transition> log = h.ledger.timeline(0, 100);
    assertTrue(log.size() >= 3, log.toString());
    long edited = log.get(1).seq();

    // WHEN someone with the database's superuser rewrites one transition
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("alter table transitions disable trigger user");
      s.execute("update transitions set actor = 'nobody' where seq = " + edited);
      s.execute("alter table transitions enable trigger user");
    }

    // THEN status says where the chain breaks
    JsonNode after = status(h);
    String chain = after.path("ledger").path("chain").asText();
    assertTrue(chain.startsWith("broken at transition " + edited + ": "), chain);
    assertEquals(edited, after.path("ledger").path("brokenAt").asLong());
  }

  private static JsonNode status(EngineHarness h) throws Exception {
    FunctionResponse r = h.api.status(FunctionRequest.of(""));
    assertEquals(200, r.status(), r.body());
    return JSON.readTree(r.body());
  }
}
