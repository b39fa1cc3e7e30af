package dev.rollgate.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rollgate.core.port.BackupStore;
import dev.rollgate.core.port.BackupStore.Entry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryBackupStoreTest {

  @TempDir Path root;

  private byte[] read(BackupStore store, String key) throws Exception {
    try (InputStream in = store.get(key)) {
      return in.readAllBytes();
    }
  }

  @Test
  void put_shouldMakeFileVisibleWhole_whenWritten() throws Exception {
    // GIVEN an empty store
    DirectoryBackupStore store = new DirectoryBackupStore(root);

    // WHEN two files are put and one replaced
    store.put("shop/staging/b1/a.copy", "one".getBytes(StandardCharsets.UTF_8));
    store.put("shop/staging/b1/manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
    store.put("shop/staging/b1/a.copy", "uno".getBytes(StandardCharsets.UTF_8));

    // THEN both are listed by prefix with their sizes, and read back as written
    assertEquals(
        List.of(
            new Entry("shop/staging/b1/a.copy", 3), new Entry("shop/staging/b1/manifest.json", 2)),
        store.list("shop/staging/"));
    assertEquals(List.of(), store.list("shop/production/"));
    assertArrayEquals(
        "uno".getBytes(StandardCharsets.UTF_8), read(store, "shop/staging/b1/a.copy"));
    assertEquals("dir:" + root.toAbsolutePath(), store.describe());
  }

  @Test
  void upload_shouldLeaveNothingVisible_whenNotCommitted() throws Exception {
    // GIVEN an upload that wrote data but was never committed (the writer died)
    DirectoryBackupStore store = new DirectoryBackupStore(root);
    BackupStore.Upload abandoned = store.upload("shop/staging/b2/a.copy");
    abandoned.stream().write(new byte[1000]);
    abandoned.stream().flush();

    // WHEN listed before and after the upload is closed
    List<Entry> during = store.list("");
    abandoned.close();
    abandoned.close();

    // THEN the file was never visible, and no temporary file is left once closed
    assertEquals(List.of(), during);
    assertEquals(List.of(), store.list(""));
    assertThrows(NoSuchFileException.class, () -> store.get("shop/staging/b2/a.copy"));
    try (var files = Files.walk(root)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".partial")));
    }
  }

  @Test
  void delete_shouldRemoveFileAndEmptyDirectories_whenPresentAndBeIdempotent() throws Exception {
    // GIVEN two backups' files
    DirectoryBackupStore store = new DirectoryBackupStore(root);
    store.put("shop/staging/b1/a.copy", new byte[] {1});
    store.put("shop/staging/b2/a.copy", new byte[] {2});

    // WHEN one is deleted, twice
    store.delete("shop/staging/b1/a.copy");
    store.delete("shop/staging/b1/a.copy");

    // THEN its directory is gone, the other backup stays
    assertFalse(Files.exists(root.resolve("shop/staging/b1")));
    assertEquals(List.of(new Entry("shop/staging/b2/a.copy", 1)), store.list(""));
  }

  @Test
  void keys_shouldBeRefused_whenTheyLeaveTheStoreOrAreHidden() {
    // GIVEN a store WHEN given keys that escape it or name hidden files THEN each is refused
    DirectoryBackupStore store = new DirectoryBackupStore(root);
    for (String key :
        List.of("", "/etc/passwd", "a/../../b", "a//b", "a/.hidden", "a/", "a\\\\b")) {
      assertThrows(IllegalArgumentException.class, () -> store.get(key), key);
    }
  }
}
