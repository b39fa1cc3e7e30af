package dev.rollgate.backup;

import dev.rollgate.contract.BackupStoreContract;
import dev.rollgate.core.port.BackupStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link DirectoryBackupStore} against the {@link BackupStoreContract}. */
class DirectoryBackupStoreContractTest extends BackupStoreContract {

  @TempDir Path dir;

  @Override
  protected BackupStore newStore() {
    return new DirectoryBackupStore(dir.resolve("store"));
  }
}
