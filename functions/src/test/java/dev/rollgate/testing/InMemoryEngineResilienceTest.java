package dev.rollgate.testing;

import dev.rollgate.contract.EngineResilienceContract;
import dev.rollgate.core.port.Ledger;

class InMemoryEngineResilienceTest extends EngineResilienceContract {
  @Override
  protected Ledger newLedger() {
    return new InMemoryLedger();
  }
}
