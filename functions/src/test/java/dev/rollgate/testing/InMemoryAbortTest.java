package dev.rollgate.testing;

import dev.rollgate.contract.AbortContract;
import dev.rollgate.core.port.Ledger;

class InMemoryAbortTest extends AbortContract {
  @Override
  protected Ledger newLedger() {
    return new InMemoryLedger();
  }
}
