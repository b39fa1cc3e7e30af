package dev.rollgate.gcp;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import dev.rollgate.backup.TempFileUpload;
import dev.rollgate.core.port.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * A {@link BackupStore} in a Cloud Storage bucket under a name prefix. An upload is buffered in a
 * temporary file (Cloud Functions' {@code /tmp}) and sent on commit as one resumable upload
 * streamed from that file (google-cloud-storage resends from the file when a retryable error
 * interrupts it), with its CRC32C for Cloud Storage to check. An object exists only once its upload
 * is finalized, so a reader sees a whole file or none; an upload that fails leaves no object (an
 * unfinished resumable session expires after a week).
 */
final class GcsBackupStore implements BackupStore {

  /** How much is read or written per I/O call: 2 MiB. */
  private static final int BUFFER_BYTES = 2 << 20;

  private static final String FIX = "create the bucket or fix the backup store's gs:// URL";
  private static final String EXAMPLE = "gs://my-backups/rollgate";

  private final Supplier<Storage> storage;
  private final String bucket;
  private final String prefix;

  GcsBackupStore(Supplier<Storage> storage, String bucket, String prefix) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.prefix = normalizePrefix(Objects.requireNonNull(prefix, "prefix"));
  }

  /**
   * Parses {@code gs://bucket[/prefix]}.
   *
   * @throws IllegalArgumentException naming the URL, when it is not one
   */
  static GcsBackupStore of(Supplier<Storage> storage, String url) {
    GcsLocation at = GcsLocation.parse(url, EXAMPLE);
    return new GcsBackupStore(storage, at.bucket(), at.path());
  }

  @Override
  public String describe() {
    return "gs://" + bucket + "/" + prefix;
  }

  @Override
  public Upload upload(String key) throws IOException {
    String name = objectName(key);
    return new TempFileUpload(Files.createTempFile("rollgate-backup-", ".partial")) {
      @Override
      protected void publish(Path complete) throws IOException {
        BlobInfo info =
            BlobInfo.newBuilder(bucket, name)
                .setContentType("application/octet-stream")
                .setCrc32c(crc32c(complete))
                .build();
        try {
          storage.get().createFrom(info, complete, BUFFER_BYTES, BlobWriteOption.crc32cMatch());
        } catch (StorageException e) {
          throw failure(e, "uploading " + where());
        }
      }

      @Override
      protected String where() {
        return GcsBackupStore.this.where(name);
      }
    };
  }

  @Override
  public InputStream get(String key) throws IOException {
    String name = objectName(key);
    try {
      Blob blob = storage.get().get(BlobId.of(bucket, name));
      if (blob == null) {
        throw new NoSuchFileException(where(name));
      }
      // Read the generation just found: a newer file written meanwhile is not mixed in.
      ReadChannel reader = storage.get().reader(BlobId.of(bucket, name, blob.getGeneration()));
      reader.setChunkSize(BUFFER_BYTES);
      return Channels.newInputStream(reader);
    } catch (StorageException e) {
      throw failure(e, "reading " + where(name));
    }
  }

  @Override
  public List<Entry> list(String keyPrefix) throws IOException {
    String full = prefix + Objects.requireNonNull(keyPrefix, "prefix");
    List<Entry> entries = new ArrayList<>();
    try {
      for (Blob b : storage.get().list(bucket, BlobListOption.prefix(full)).iterateAll()) {
        if (!b.getName().endsWith("/")) {
          entries.add(new Entry(b.getName().substring(prefix.length()), b.getSize()));
        }
      }
    } catch (StorageException e) {
      throw failure(e, "listing gs://" + bucket + "/" + full);
    }
    entries.sort(Comparator.comparing(Entry::key));
    return entries;
  }

  @Override
  public void delete(String key) throws IOException {
    String name = objectName(key);
    try {
      storage.get().delete(BlobId.of(bucket, name)); // false when absent: nothing to do
    } catch (StorageException e) {
      throw failure(e, "deleting " + where(name));
    }
  }

  /** Cloud Storage's form of a CRC32C: base64 of the four bytes, big-endian. */
  static String crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private String where(String name) {
    return "gs://" + bucket + "/" + name;
  }

  private String objectName(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
      throw new IllegalArgumentException("not a store key (a relative path a/b/c): '" + key + "'");
    }
    return prefix + key;
  }

  private static IOException failure(StorageException e, String what) {
    return new IOException(GcsFaults.describe(e, what, FIX), e);
  }

  private static String normalizePrefix(String prefix) {
    String p = prefix;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p.isEmpty() || p.endsWith("/") ? p : p + "/";
  }
}
