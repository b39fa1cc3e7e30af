package dev.rollgate.ledger;

import dev.rollgate.contract.CanaryContract;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.testing.TestPostgres;

/** Canary releases on the real PostgreSQL ledger: each step's transitions, V9's columns. */
class JdbcCanaryIT extends CanaryContract {
  @Override
  protected Ledger newLedger() {
    return JdbcLedger.migrateAndOpen(TestPostgres.freshDatabase());
  }

  /**
   * Every write is 4 minutes on PostgreSQL; every seventh samples the writes in about 35 s (the
   * in-memory run crashes after each).
   */
  @Override
  protected int crashStride() {
    return 7;
  }
}
