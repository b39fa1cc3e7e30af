package dev.rollgate.ledger;

import dev.rollgate.contract.EngineResilienceContract;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.testing.TestPostgres;

/**
 * Concurrency and crash recovery on the real PostgreSQL ledger, where the database enforces them.
 */
class JdbcEngineResilienceIT extends EngineResilienceContract {
  @Override
  protected Ledger newLedger() {
    return JdbcLedger.migrateAndOpen(TestPostgres.freshDatabase());
  }
}
