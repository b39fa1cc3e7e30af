package dev.rollgate.testing;

import dev.rollgate.contract.EngineContract;
import dev.rollgate.core.port.Ledger;

class InMemoryEngineTest extends EngineContract {
  @Override
  protected Ledger newLedger() {
    return new InMemoryLedger();
  }
}
