package dev.rollgate.ledger;

import dev.rollgate.contract.BackupCatalogContract;
import dev.rollgate.core.port.BackupCatalog;
import dev.rollgate.testing.TestPostgres;

/** The backup catalog contract on embedded PostgreSQL, with the ledger's schema (V1, V2). */
class JdbcBackupCatalogIT extends BackupCatalogContract {

  @Override
  protected BackupCatalog newCatalog() {
    return JdbcBackupCatalog.migrateAndOpen(TestPostgres.freshDatabase());
  }
}
