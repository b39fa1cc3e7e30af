package dev.rollgate.gcp.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.paging.Page;
import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Cloud Storage fake answers Google's own client as the JSON API does. */
class StorageFakeIT {

  private static StorageFake fake;
  private static Storage storage;

  @BeforeAll
  static void start() throws Exception {
    fake = StorageFake.onPort(0);
    storage =
        StorageOptions.http()
            .setHost(fake.host())
            .setProjectId("fake-it")
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    storage.create(BucketInfo.of("fake-it"));
    for (String name : List.of("a/1.sql", "a/2.sql", "a/b/3.sql", "a/b/4.sql", "c.txt")) {
      storage.create(
          BlobInfo.newBuilder("fake-it", name).build(), name.getBytes(StandardCharsets.UTF_8));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    fake.close();
  }

  @Test
  void list_shouldFoldSubfoldersIntoPrefixes_whenADelimiterIsGiven() {
    // GIVEN / WHEN a listing of a/ with the delimiter /
    List<String> names = new ArrayList<>();
    storage
        .list("fake-it", BlobListOption.prefix("a/"), BlobListOption.currentDirectory())
        .iterateAll()
        .forEach(b -> names.add(b.isDirectory() ? "dir:" + b.getName() : b.getName()));

    // THEN the objects directly under a/, and a/b/ once as a prefix
    assertEquals(List.of("a/1.sql", "a/2.sql", "dir:a/b/"), names);
  }

  @Test
  void list_shouldPageWithTokens_whenMoreThanAPageMatches() {
    // GIVEN / WHEN pages of 2
    Page<Blob> first = storage.list("fake-it", BlobListOption.pageSize(2));
    List<String> all = new ArrayList<>();
    first.iterateAll().forEach(b -> all.add(b.getName()));

    // THEN the first page held 2 and said there was more; all 5 came, in name order
    assertTrue(first.hasNextPage());
    assertEquals(List.of("a/1.sql", "a/2.sql", "a/b/3.sql", "a/b/4.sql", "c.txt"), all);
  }

  @Test
  void get_shouldAnswerNullAndDeleteFalse_whenTheObjectIsMissing() {
    // GIVEN / WHEN / THEN the client reads the fake's 404 as Google's
    assertNull(storage.get(BlobId.of("fake-it", "none")));
    assertFalse(storage.delete(BlobId.of("fake-it", "none")));
    StorageException e =
        assertThrows(
            StorageException.class, () -> storage.readAllBytes(BlobId.of("fake-it", "none")));
    assertEquals(404, e.getCode());
    assertEquals("notFound", e.getReason());
    assertThrows(StorageException.class, () -> storage.list("no-such-bucket").iterateAll());
  }

  @Test
  void reader_shouldReadFromAnOffset_whenSeeked() throws Exception {
    // GIVEN an object
    byte[] data = "0123456789".getBytes(StandardCharsets.UTF_8);
    storage.create(BlobInfo.newBuilder("fake-it", "digits").build(), data);

    // WHEN it is read from byte 4 (a ranged GET)
    ByteBuffer buffer = ByteBuffer.allocate(16);
    try (ReadChannel reader = storage.reader(BlobId.of("fake-it", "digits"))) {
      reader.seek(4);
      while (reader.read(buffer) >= 0) {
        // until the end
      }
    }

    // THEN
    byte[] read = new byte[buffer.position()];
    buffer.flip().get(read);
    assertArrayEquals("456789".getBytes(StandardCharsets.UTF_8), read);
  }
}
