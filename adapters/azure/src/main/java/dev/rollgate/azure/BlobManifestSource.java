package dev.rollgate.azure;

import com.azure.storage.blob.models.BlobStorageException;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.core.manifest.ManifestSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@code rollgate.yaml} from Blob Storage: {@code azblob://ACCOUNT/CONTAINER/PATH} or {@code
 * https://ACCOUNT.blob.core.windows.net/CONTAINER/PATH}; the loader validates it.
 */
final class BlobManifestSource implements ManifestSource {

  private static final int MAX_BYTES = 1 << 20;
  private static final String EXAMPLE = "azblob://myaccount/deploy-config/rollgate.yaml";

  private final BlobStorage storage;

  BlobManifestSource(BlobStorage storage) {
    this.storage = storage;
  }

  @Override
  public boolean handles(String location) {
    return BlobLocation.isBlob(location);
  }

  /** A Function App's writable temporary directory: a blob has no directory. */
  @Override
  public Path baseDir(String location) {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  /**
   * @throws ManifestException naming the location, when it is not a blob or cannot be read
   */
  @Override
  public String read(String location) {
    BlobLocation at;
    try {
      at = BlobLocation.parse(location, EXAMPLE);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(String.valueOf(location), List.of(e.getMessage()));
    }
    if (at.path().isEmpty() || at.path().endsWith("/")) {
      throw new ManifestException(location, List.of("names no blob; write e.g. " + EXAMPLE));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      var blob = storage.container(at).getBlobClient(at.path());
      long size = blob.getProperties().getBlobSize();
      if (size > MAX_BYTES) {
        throw new ManifestException(
            location, List.of("larger than 1 MiB (" + size + " bytes); is it the manifest?"));
      }
      blob.downloadStream(out);
    } catch (BlobStorageException e) {
      throw new ManifestException(
          location,
          List.of(
              "cannot read it: "
                  + BlobStorage.describe(
                      e,
                      "reading " + location,
                      "upload the manifest there (az storage blob upload --auth-mode login"
                          + " --account-name "
                          + at.account()
                          + " -c "
                          + at.container()
                          + " -n "
                          + at.path()
                          + " -f rollgate.yaml) or fix ROLLGATE_MANIFEST")));
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
