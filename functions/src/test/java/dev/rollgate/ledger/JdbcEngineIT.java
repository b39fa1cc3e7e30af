package dev.rollgate.ledger;

import dev.rollgate.contract.EngineContract;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.testing.TestPostgres;

/** The engine's lifecycle guarantees on the real PostgreSQL ledger. */
class JdbcEngineIT extends EngineContract {
  @Override
  protected Ledger newLedger() {
    return JdbcLedger.migrateAndOpen(TestPostgres.freshDatabase());
  }
}
