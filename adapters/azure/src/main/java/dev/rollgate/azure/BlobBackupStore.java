package dev.rollgate.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobUploadFromFileOptions;
import dev.rollgate.backup.TempFileUpload;
import dev.rollgate.core.port.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A {@link BackupStore} in a Blob Storage container under a name prefix: {@code
 * azblob://ACCOUNT/CONTAINER/PREFIX} or {@code
 * https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX}. An upload is buffered in a temporary
 * file and sent on commit as a block blob (blocks staged, then one Put Block List; a small file in
 * one Put Blob), which becomes visible whole or not at all; uncommitted blocks of an upload that
 * failed are discarded by Blob Storage after a week. A read holds to the ETag it started with, so a
 * newer file written meanwhile is not mixed in.
 */
final class BlobBackupStore implements BackupStore {

  private static final String EXAMPLE = "azblob://mybackups/rollgate-backups/rollgate";
  private static final String FIX = "create the container or fix the backup store's URL";

  private final BlobStorage storage;
  private final BlobLocation at;
  private final String prefix;

  BlobBackupStore(BlobStorage storage, BlobLocation at) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.at = Objects.requireNonNull(at, "at");
    String p = at.path();
    this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
  }

  /**
   * Parses the store's URL.
   *
   * @throws IllegalArgumentException naming the URL, when it is not one
   */
  static BlobBackupStore of(BlobStorage storage, String url) {
    return new BlobBackupStore(storage, BlobLocation.parse(url, EXAMPLE));
  }

  @Override
  public String describe() {
    return at.describe(prefix);
  }

  @Override
  public Upload upload(String key) throws IOException {
    String name = blobName(key);
    return new TempFileUpload(Files.createTempFile("rollgate-backup-", ".partial")) {
      @Override
      protected void publish(Path complete) throws IOException {
        try {
          container()
              .getBlobClient(name)
              .uploadFromFileWithResponse(
                  new BlobUploadFromFileOptions(complete.toString())
                      .setHeaders(new BlobHttpHeaders().setContentType("application/octet-stream")),
                  null,
                  null);
        } catch (BlobStorageException e) {
          throw failure(e, "uploading " + where());
        }
      }

      @Override
      protected String where() {
        return at.describe(name);
      }
    };
  }

  @Override
  public InputStream get(String key) throws IOException {
    String name = blobName(key);
    try {
      return container().getBlobClient(name).openInputStream();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404 && BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())) {
        throw new NoSuchFileException(at.describe(name));
      }
      throw failure(e, "reading " + at.describe(name));
    }
  }

  @Override
  public List<Entry> list(String keyPrefix) throws IOException {
    String full = prefix + Objects.requireNonNull(keyPrefix, "prefix");
    List<Entry> entries = new ArrayList<>();
    try {
      for (BlobItem b : container().listBlobs(new ListBlobsOptions().setPrefix(full), null)) {
        if (!b.getName().endsWith("/") && !Boolean.TRUE.equals(b.isPrefix())) {
          entries.add(
              new Entry(
                  b.getName().substring(prefix.length()), b.getProperties().getContentLength()));
        }
      }
    } catch (BlobStorageException e) {
      throw failure(e, "listing " + at.describe(full));
    }
    entries.sort(Comparator.comparing(Entry::key));
    return entries;
  }

  @Override
  public void delete(String key) throws IOException {
    String name = blobName(key);
    try {
      container().getBlobClient(name).deleteIfExists();
    } catch (BlobStorageException e) {
      throw failure(e, "deleting " + at.describe(name));
    }
  }

  private BlobContainerClient container() {
    return storage.container(at);
  }

  private String blobName(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
      throw new IllegalArgumentException("not a store key (a relative path a/b/c): '" + key + "'");
    }
    return prefix + key;
  }

  private static IOException failure(BlobStorageException e, String what) {
    return new IOException(BlobStorage.describe(e, what, FIX), e);
  }

  @Override
  public String toString() {
    return "BlobBackupStore[" + describe() + "]";
  }
}
