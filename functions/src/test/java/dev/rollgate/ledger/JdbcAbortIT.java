package dev.rollgate.ledger;

import dev.rollgate.contract.AbortContract;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.testing.TestPostgres;

/** POST /abort on the real PostgreSQL ledger, where the row lock orders requests and saves. */
class JdbcAbortIT extends AbortContract {
  @Override
  protected Ledger newLedger() {
    return JdbcLedger.migrateAndOpen(TestPostgres.freshDatabase());
  }
}
