package dev.rollgate.testing;

import dev.rollgate.contract.ReleaseContract;
import dev.rollgate.core.port.Ledger;

class InMemoryReleaseTest extends ReleaseContract {
  @Override
  protected Ledger newLedger() {
    return new InMemoryLedger();
  }
}
