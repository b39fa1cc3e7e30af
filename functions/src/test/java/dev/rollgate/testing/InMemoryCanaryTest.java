package dev.rollgate.testing;

import dev.rollgate.contract.CanaryContract;
import dev.rollgate.core.port.Ledger;

class InMemoryCanaryTest extends CanaryContract {
  @Override
  protected Ledger newLedger() {
    return new InMemoryLedger();
  }
}
