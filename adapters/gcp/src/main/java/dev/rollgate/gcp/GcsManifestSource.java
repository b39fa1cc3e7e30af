package dev.rollgate.gcp;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.core.manifest.ManifestSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** Reads {@code rollgate.yaml} from {@code gs://bucket/object}; the loader validates it. */
final class GcsManifestSource implements ManifestSource {

  private static final int MAX_BYTES = 1 << 20;
  private static final String EXAMPLE = "gs://deploy-config/rollgate.yaml";

  private final Supplier<Storage> storage;

  GcsManifestSource(Supplier<Storage> storage) {
    this.storage = storage;
  }

  @Override
  public boolean handles(String location) {
    return GcsLocation.isGs(location);
  }

  /** Cloud Functions' writable {@code /tmp}: an object has no directory. */
  @Override
  public Path baseDir(String location) {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  /**
   * @throws ManifestException naming the location, when it is not {@code gs://bucket/object} or
   *     cannot be read
   */
  @Override
  public String read(String location) {
    GcsLocation at;
    try {
      at = GcsLocation.parse(location, EXAMPLE);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(String.valueOf(location), List.of(e.getMessage()));
    }
    if (at.path().isEmpty() || at.path().endsWith("/")) {
      throw new ManifestException(location, List.of("names no object; write e.g. " + EXAMPLE));
    }
    byte[] bytes;
    try {
      bytes = storage.get().readAllBytes(BlobId.of(at.bucket(), at.path()));
    } catch (StorageException e) {
      throw new ManifestException(
          location,
          List.of(
              "cannot read it: "
                  + GcsFaults.describe(
                      e,
                      "reading " + location,
                      "upload the manifest there (gcloud storage cp rollgate.yaml "
                          + location
                          + ") or fix ROLLGATE_MANIFEST")));
    }
    if (bytes.length > MAX_BYTES) {
      throw new ManifestException(
          location, List.of("larger than 1 MiB (" + bytes.length + " bytes); is it the manifest?"));
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
