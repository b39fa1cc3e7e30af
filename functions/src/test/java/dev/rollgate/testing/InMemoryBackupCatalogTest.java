package dev.rollgate.testing;

import dev.rollgate.contract.BackupCatalogContract;
import dev.rollgate.core.port.BackupCatalog;

/** The backup catalog contract against the in-memory catalog. */
class InMemoryBackupCatalogTest extends BackupCatalogContract {

  @Override
  protected BackupCatalog newCatalog() {
    return new InMemoryBackupCatalog();
  }
}
