package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.rollgate.contract.BackupStoreContract;
import dev.rollgate.core.port.BackupStore;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link BlobBackupStore} against the {@link BackupStoreContract}, through azure-storage-blob on
 * Azurite's Blob service (a real emulator, started by the test).
 */
class BlobBackupStoreIT extends BackupStoreContract {

  private static final String CONTAINER = "rollgate-backups";
  private static final AtomicInteger RUNS = new AtomicInteger();

  private static Azurite azurite;
  private static BlobStorage storage;

  @BeforeAll
  static void start() throws Exception {
    azurite = Azurite.start();
    storage =
        new BlobStorage(
            AzureSettings.defaults().withStorageConnectionString(azurite.connectionString()));
    new BlobServiceClientBuilder()
        .connectionString(azurite.connectionString())
        .buildClient()
        .createBlobContainer(CONTAINER);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (azurite != null) {
      azurite.close();
    }
  }

  @Override
  protected BackupStore newStore() {
    return BlobBackupStore.of(
        storage,
        "azblob://" + Azurite.ACCOUNT + "/" + CONTAINER + "/run-" + RUNS.incrementAndGet());
  }

  @Test
  void describe_shouldNameTheContainerAndPrefix_whenGivenEitherForm() {
    // GIVEN / WHEN the store is named by the blob's https URL
    BackupStore store =
        BlobBackupStore.of(storage, "https://shopbackups.blob.core.windows.net/backups/rollgate");
    // THEN it is the same place in azblob form
    assertEquals("azblob://shopbackups/backups/rollgate/", store.describe());
  }

  @Test
  void list_shouldSayWhatToDo_whenTheContainerDoesNotExist() {
    // GIVEN a store in a container that was never created
    BackupStore store =
        BlobBackupStore.of(storage, "azblob://" + Azurite.ACCOUNT + "/never-created/x");
    // WHEN / THEN listing fails naming the place and the fix
    IOException e = assertThrows(IOException.class, () -> store.list(""));
    assertTrue(
        e.getMessage().contains("azblob://devstoreaccount1/never-created/x/"), e.getMessage());
    assertTrue(e.getMessage().contains("create the container"), e.getMessage());
  }

  @Test
  void of_shouldRefuseWithTheForms_whenTheUrlIsNotBlobStorage() {
    // GIVEN / WHEN / THEN an https URL elsewhere, or a SAS token, is refused with the forms
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BlobBackupStore.of(storage, "https://example.com/backups"));
    assertTrue(e.getMessage().contains("azblob://"), e.getMessage());
    IllegalArgumentException sas =
        assertThrows(
            IllegalArgumentException.class,
            () -> BlobBackupStore.of(storage, "azblob://acct/backups/x?sig=SECRET"));
    assertTrue(sas.getMessage().contains("SAS"), sas.getMessage());
  }
}
