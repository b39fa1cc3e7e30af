package dev.rollgate.testing;

import dev.rollgate.contract.LedgerContract;
import dev.rollgate.core.port.Ledger;

/** The ledger contract against the in-memory ledger the engine's unit tests use. */
class InMemoryLedgerTest extends LedgerContract {

  @Override
  protected Ledger newLedger() {
    return new InMemoryLedger();
  }
}
