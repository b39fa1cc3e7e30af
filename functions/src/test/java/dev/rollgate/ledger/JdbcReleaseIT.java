package dev.rollgate.ledger;

import dev.rollgate.contract.ReleaseContract;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.testing.TestPostgres;

/**
 * Ordered multi-service releases on the real PostgreSQL ledger (parts in deployments.parts, V8).
 */
class JdbcReleaseIT extends ReleaseContract {
  @Override
  protected Ledger newLedger() {
    return JdbcLedger.migrateAndOpen(TestPostgres.freshDatabase());
  }
}
