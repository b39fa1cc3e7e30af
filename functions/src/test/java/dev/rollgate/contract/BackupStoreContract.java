package dev.rollgate.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rollgate.core.port.BackupStore;
import dev.rollgate.core.port.BackupStore.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link BackupStore} must do; a subclass supplies a fresh, empty store per test. */
public abstract class BackupStoreContract {

  private BackupStore store;

  /** A new, empty store. */
  protected abstract BackupStore newStore() throws IOException;

  @BeforeEach
  void createStore() throws IOException {
    store = newStore();
  }

  @Test
  void put_shouldRoundTripBinaryData_whenSeveralMegabytes() throws IOException {
    // GIVEN 3 MB of random bytes
    byte[] data = new byte[3 * 1024 * 1024 + 17];
    new Random(42).nextBytes(data);

    // WHEN
    store.put("app/prod/big.dump", data);

    // THEN
    assertArrayEquals(data, read("app/prod/big.dump"));
  }

  @Test
  void list_shouldReturnMatchingKeysSortedWithSizes_whenPrefixGiven() throws IOException {
    // GIVEN files under two prefixes, written out of order
    store.put("shop/prod/b.dump", new byte[3]);
    store.put("shop/prod/a.dump", new byte[5]);
    store.put("shop/staging/c.dump", new byte[1]);

    // WHEN
    List<Entry> entries = store.list("shop/prod/");

    // THEN
    assertEquals(
        List.of(new Entry("shop/prod/a.dump", 5), new Entry("shop/prod/b.dump", 3)), entries);
    assertEquals(3, store.list("shop/").size());
    assertEquals(List.of(), store.list("other/"));
  }

  @Test
  void upload_shouldNeverBeVisible_whenClosedWithoutCommit() throws IOException {
    // GIVEN an upload with bytes written
    try (BackupStore.Upload upload = store.upload("shop/prod/x.dump")) {
      upload.stream().write("partial".getBytes(StandardCharsets.UTF_8));

      // THEN not visible while open
      assertEquals(List.of(), store.list("shop/"));
    } // WHEN closed without commit

    // THEN
    assertEquals(List.of(), store.list(""));
    assertThrows(NoSuchFileException.class, () -> store.get("shop/prod/x.dump").close());
  }

  @Test
  void commit_shouldReplaceOlderFile_whenKeyExists() throws IOException {
    // GIVEN
    store.put("shop/prod/x.dump", "old".getBytes(StandardCharsets.UTF_8));

    // WHEN
    store.put("shop/prod/x.dump", "newer".getBytes(StandardCharsets.UTF_8));

    // THEN
    assertEquals("newer", new String(read("shop/prod/x.dump"), StandardCharsets.UTF_8));
    assertEquals(List.of(new Entry("shop/prod/x.dump", 5)), store.list("shop/"));
  }

  @Test
  void delete_shouldRemoveFile_whenPresentAndDoNothing_whenAbsent() throws IOException {
    // GIVEN
    store.put("shop/prod/x.dump", new byte[] {1, 2});
    store.put("shop/prod/y.dump", new byte[] {3});

    // WHEN
    store.delete("shop/prod/x.dump");
    store.delete("shop/prod/never.dump");

    // THEN
    assertEquals(List.of(new Entry("shop/prod/y.dump", 1)), store.list(""));
    assertThrows(NoSuchFileException.class, () -> store.get("shop/prod/x.dump").close());
  }

  @Test
  void get_shouldThrowNoSuchFile_whenKeyMissing() {
    // GIVEN an empty store

    // WHEN / THEN
    assertThrows(NoSuchFileException.class, () -> store.get("shop/prod/missing.dump").close());
  }

  private byte[] read(String key) throws IOException {
    try (InputStream in = store.get(key)) {
      return in.readAllBytes();
    }
  }
}
