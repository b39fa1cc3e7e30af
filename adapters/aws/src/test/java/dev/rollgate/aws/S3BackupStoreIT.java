package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.contract.BackupStoreContract;
import dev.rollgate.core.port.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link S3BackupStore} against the {@link BackupStoreContract}, on moto's S3. */
@ExtendWith(MotoServer.Extension.class)
class S3BackupStoreIT extends BackupStoreContract {

  private static S3Client setup;
  private static AwsAdapter aws;
  private static String bucket;

  @BeforeAll
  static void start(MotoServer moto) {
    setup = moto.s3();
    aws = new AwsAdapter(moto.settings());
    bucket = "backups-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    setup.createBucket(b -> b.bucket(bucket));
  }

  @AfterAll
  static void stop() {
    aws.close();
    setup.close();
  }

  @Override
  protected BackupStore newStore() {
    // A fresh prefix per test gives each test an empty store in the shared bucket.
    String prefix = "run-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    return aws.s3BackupStore("s3://" + bucket + "/" + prefix);
  }

  @Test
  void describe_shouldNameBucketAndPrefix_whenParsedFromUrl() {
    // GIVEN / WHEN
    BackupStore store = aws.s3BackupStore("s3://" + bucket + "/team/backups");

    // THEN
    assertEquals("s3://" + bucket + "/team/backups/", store.describe());
  }

  @Test
  void list_shouldNameBucketAndFix_whenBucketMissing() {
    // GIVEN a store in a bucket that does not exist
    BackupStore store = aws.s3BackupStore("s3://no-such-bucket-rollgate/x");

    // WHEN
    IOException e = assertThrows(IOException.class, () -> store.list(""));

    // THEN
    assertTrue(e.getMessage().contains("no-such-bucket-rollgate"), e.getMessage());
    assertTrue(e.getMessage().contains("create the bucket"), e.getMessage());
  }

  @Test
  void upload_shouldSendItInPartsAndReadBackTheSameBytes_whenLargerThanAPart() throws IOException {
    // GIVEN a store that sends files above 5 MiB in 5 MiB parts (S3's smallest), and 12.5 MiB
    BackupStore store = S3BackupStore.of(() -> setup, "s3://" + bucket + "/multipart", 5L << 20);
    byte[] data = new byte[(25 << 20) / 2];
    new Random(42).nextBytes(data);

    // WHEN it is written and committed
    try (BackupStore.Upload upload = store.upload("b1/orders.copy.gz")) {
      upload.stream().write(data);
      upload.commit();
    }

    // THEN it reads back byte for byte, is listed with its size, and no upload is left open
    try (InputStream in = store.get("b1/orders.copy.gz")) {
      assertArrayEquals(data, in.readAllBytes());
    }
    assertEquals(
        List.of(new BackupStore.Entry("b1/orders.copy.gz", data.length)), store.list("b1/"));
    assertTrue(
        setup.listMultipartUploads(b -> b.bucket(bucket).prefix("multipart/")).uploads().isEmpty());
  }

  @Test
  void s3BackupStore_shouldRejectUrl_whenNotS3() {
    // GIVEN / WHEN / THEN
    assertThrows(IllegalArgumentException.class, () -> aws.s3BackupStore("dir:/tmp/x"));
  }
}
