package dev.rollgate.gcp;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.StorageException;
import dev.rollgate.migration.ObjectStoreFlywayLocations;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.Location;

/**
 * Flyway's {@code gs:bucket/prefix} locations (also written {@code gs://bucket/prefix}): the
 * migrations are the objects under the prefix, listed and read with rollgate's Cloud Storage
 * client. A Flyway location plugin (found through {@code META-INF/services}, as Flyway's own {@code
 * s3:} module is); see docs/adr/0012-gcs-flyway-locations.md for why not {@code gcs:} or a copy to
 * a directory. What every object store shares is {@link ObjectStoreFlywayLocations}'s.
 *
 * <p>Flyway builds this class itself, so the client is handed over through {@link #install}; the
 * last adapter to install wins. Cloud Storage errors leave as FlywayExceptions naming the location
 * and the fix.
 */
public final class GcsFlywayLocations extends ObjectStoreFlywayLocations {

  static final String SCHEME = "gs";

  private static volatile Supplier<Storage> installed;

  /** For Flyway's plugin loader. */
  public GcsFlywayLocations() {
    super(
        SCHEME,
        "objects",
        "create the bucket and upload the migrations, or fix migrations.locations");
  }

  /** Makes {@code gs:} locations read through {@code storage} (built on first use). */
  static void install(Supplier<Storage> storage) {
    installed = storage;
  }

  private static Storage storage() {
    Supplier<Storage> s = installed;
    if (s == null) {
      // Flyway run outside rollgate's assembly: Google's defaults, or the emulator in the env.
      GcsStorage fallback = GcsStorage.from(System::getenv, GcpSettings.defaults());
      installed = fallback;
      s = fallback;
    }
    return s.get();
  }

  @Override
  protected Place place(Location location) {
    String root = normalizePath(location.getRootPath());
    int slash = root.indexOf('/');
    return new Bucket(
        location,
        slash < 0 ? root : root.substring(0, slash),
        slash < 0 ? "" : root.substring(slash + 1));
  }

  @Override
  protected Optional<String> describe(RuntimeException e, String doing, String fix) {
    return e instanceof StorageException s
        ? Optional.of(GcsFaults.describe(s, doing, fix))
        : Optional.empty();
  }

  /** A bucket and the object name or prefix in it; each object is read at the generation listed. */
  private record Bucket(Location location, String bucket, String path) implements Place {

    @Override
    public String describe(String name) {
      return "gs:" + bucket + "/" + name;
    }

    @Override
    public String itself() {
      return describe(path);
    }

    @Override
    public void list(String prefix, Consumer<Stored> each) {
      if (bucket.isEmpty()) {
        throw new FlywayException(
            "migration location " + location + " names no bucket; write gs:bucket/path");
      }
      for (Blob b : storage().list(bucket, BlobListOption.prefix(prefix)).iterateAll()) {
        each.accept(stored(b.getName(), b.getGeneration()));
      }
    }

    @Override
    public Optional<Stored> get() {
      if (bucket.isEmpty() || path.isEmpty()) {
        return Optional.empty();
      }
      Blob b = storage().get(BlobId.of(bucket, path));
      return b == null ? Optional.empty() : Optional.of(stored(path, b.getGeneration()));
    }

    private Stored stored(String name, Long generation) {
      return new Stored(name, () -> storage().readAllBytes(BlobId.of(bucket, name, generation)));
    }
  }
}
