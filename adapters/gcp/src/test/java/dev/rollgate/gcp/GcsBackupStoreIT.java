package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.BucketInfo;
import dev.rollgate.contract.BackupStoreContract;
import dev.rollgate.core.port.BackupStore;
import dev.rollgate.gcp.emulator.StorageFake;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link GcsBackupStore} against the {@link BackupStoreContract}, through google-cloud-storage's
 * HTTP transport on the Cloud Storage fake.
 */
class GcsBackupStoreIT extends BackupStoreContract {

  private static final String BUCKET = "rollgate-backups";
  private static final AtomicInteger RUNS = new AtomicInteger();

  private static StorageFake fake;
  private static GcsStorage storage;

  @BeforeAll
  static void start() throws Exception {
    fake = StorageFake.onPort(0);
    storage = new GcsStorage(fake.host(), "rollgate-test");
    storage.get().create(BucketInfo.of(BUCKET));
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    fake.close();
  }

  @Override
  protected BackupStore newStore() {
    // A fresh prefix per test gives each test an empty store in the shared bucket.
    return GcsBackupStore.of(storage, "gs://" + BUCKET + "/run-" + RUNS.incrementAndGet());
  }

  @Test
  void describe_shouldNameBucketAndPrefix_whenParsedFromUrl() {
    // GIVEN / WHEN
    BackupStore store = GcsBackupStore.of(storage, "gs://" + BUCKET + "/team/backups");

    // THEN
    assertEquals("gs://" + BUCKET + "/team/backups/", store.describe());
  }

  @Test
  void list_shouldNameBucketAndFix_whenBucketMissing() {
    // GIVEN a store in a bucket that does not exist
    BackupStore store = GcsBackupStore.of(storage, "gs://no-such-bucket-rollgate/x");

    // WHEN
    IOException e = assertThrows(IOException.class, () -> store.list(""));

    // THEN
    assertTrue(e.getMessage().contains("gs://no-such-bucket-rollgate/x/"), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    assertTrue(e.getMessage().contains("create the bucket"), e.getMessage());
  }

  @Test
  void upload_shouldSendOneResumableUploadAndReadBackTheSameBytes_whenLarge() throws IOException {
    // GIVEN a store and 3.5 MiB
    BackupStore store = GcsBackupStore.of(storage, "gs://" + BUCKET + "/chunked");
    byte[] data = new byte[(7 << 20) / 2];
    new Random(42).nextBytes(data);
    int before = fake.requests().size();

    // WHEN it is written and committed
    try (BackupStore.Upload upload = store.upload("b1/orders.copy.gz")) {
      upload.stream().write(data);
      upload.commit();
    }

    // THEN it went up as one resumable upload, and reads back byte for byte
    List<String> sent = fake.requests().subList(before, fake.requests().size());
    assertEquals(
        1,
        sent.stream().filter(r -> r.startsWith("POST") && r.contains("resumable")).count(),
        sent.toString());
    assertTrue(
        sent.stream().filter(r -> r.startsWith("PUT") && r.contains("upload_id")).count() >= 1,
        sent.toString());
    try (InputStream in = store.get("b1/orders.copy.gz")) {
      assertArrayEquals(data, in.readAllBytes());
    }
    assertEquals(
        List.of(new BackupStore.Entry("b1/orders.copy.gz", data.length)), store.list("b1/"));
  }

  @Test
  void upload_shouldResumeWhereCloudStorageStopped_whenTheUploadIsCutOff() throws IOException {
    // GIVEN a store, 3 MiB, and an upload Cloud Storage will cut off after 1 MiB
    BackupStore store = GcsBackupStore.of(storage, "gs://" + BUCKET + "/resumed");
    byte[] data = new byte[3 << 20];
    new Random(7).nextBytes(data);
    fake.interruptNextUploadAfter(1 << 20);
    int before = fake.requests().size();

    // WHEN it is written and committed
    store.put("b2/orders.copy.gz", data);

    // THEN the client asked how far it got and sent the rest: the object is whole
    List<String> sent = fake.requests().subList(before, fake.requests().size());
    assertTrue(
        sent.stream().anyMatch(r -> r.startsWith("PUT") && r.contains("bytes 1048576-")),
        sent.toString());
    try (InputStream in = store.get("b2/orders.copy.gz")) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }

  @Test
  void of_shouldRejectTheUrl_whenNotGs() {
    // GIVEN / WHEN / THEN
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GcsBackupStore.of(storage, "s3://x/y"));
    assertTrue(e.getMessage().contains("gs://my-backups/rollgate"), e.getMessage());
  }
}
