package dev.rollgate.gcp;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.StorageException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.scanner.ReadOnlyLocationHandler;

/**
 * Flyway's {@code gs:bucket/prefix} locations (also written {@code gs://bucket/prefix}): the
 * migrations are the objects under the prefix, listed and read with rollgate's Cloud Storage
 * client. A Flyway location plugin (found through {@code META-INF/services}, as Flyway's own {@code
 * s3:} module is); see docs/adr/0012-gcs-flyway-locations.md for why not {@code gcs:} or a copy to
 * a directory.
 *
 * <p>Flyway builds this class itself, so the client is handed over through {@link #install}; the
 * last adapter to install wins. Cloud Storage errors leave as FlywayExceptions naming the location
 * and the fix.
 */
public final class GcsFlywayLocations implements ReadOnlyLocationHandler {

  static final String SCHEME = "gs";

  private static final String FIX =
      "create the bucket and upload the migrations, or fix migrations.locations";

  private static volatile Supplier<Storage> installed;

  /** For Flyway's plugin loader. */
  public GcsFlywayLocations() {}

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
  public String getPrefix() {
    return SCHEME + ":";
  }

  @Override
  public boolean handlesWildcards() {
    return false;
  }

  @Override
  public String getPathSeparator() {
    return "/";
  }

  /** {@code //bucket/prefix} (from {@code gs://bucket/prefix}) as {@code bucket/prefix}. */
  @Override
  public String normalizePath(String path) {
    String p = path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p;
  }

  @Override
  public Collection<LoadableResource> scanForResources(Location location, Configuration config) {
    String root = normalizePath(location.getRootPath());
    int slash = root.indexOf('/');
    String bucket = slash < 0 ? root : root.substring(0, slash);
    String prefix = slash < 0 ? "" : root.substring(slash + 1);
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix += "/";
    }
    String where = "gs:" + bucket + "/" + prefix;
    if (bucket.isEmpty()) {
      throw new FlywayException(
          "migration location " + location + " names no bucket; write gs:bucket/path");
    }
    List<LoadableResource> found = new ArrayList<>();
    try {
      for (Blob b : storage().list(bucket, BlobListOption.prefix(prefix)).iterateAll()) {
        if (!b.getName().endsWith("/")) {
          found.add(new Resource(bucket, b.getName(), b.getGeneration(), config.getEncoding()));
        }
      }
    } catch (StorageException e) {
      throw new FlywayException(GcsFaults.describe(e, "listing migrations in " + where, FIX), e);
    }
    if (found.isEmpty() && config.isFailOnMissingLocations()) {
      throw new FlywayException(
          "migration location "
              + where
              + " holds no objects; upload the migrations there or fix"
              + " migrations.locations");
    }
    return found;
  }

  @Override
  public Optional<LoadableResource> getResource(Location location, Configuration config) {
    String root = normalizePath(location.getRootPath());
    int slash = root.indexOf('/');
    if (slash <= 0 || slash == root.length() - 1) {
      return Optional.empty();
    }
    String bucket = root.substring(0, slash);
    String name = root.substring(slash + 1);
    try {
      Blob b = storage().get(BlobId.of(bucket, name));
      return b == null
          ? Optional.empty()
          : Optional.of(new Resource(bucket, name, b.getGeneration(), config.getEncoding()));
    } catch (StorageException e) {
      throw new FlywayException(GcsFaults.describe(e, "reading gs:" + root, FIX), e);
    }
  }

  @Override
  public String toString() {
    return "GcsFlywayLocations[gs:]";
  }

  /** One migration object, read (at the generation listed) when Flyway asks for its text. */
  private static final class Resource extends LoadableResource {

    private final String bucket;
    private final String name;
    private final Long generation;
    private final Charset encoding;

    Resource(String bucket, String name, Long generation, Charset encoding) {
      this.bucket = bucket;
      this.name = name;
      this.generation = generation;
      this.encoding = encoding;
    }

    @Override
    public Reader read() {
      try {
        byte[] bytes = storage().readAllBytes(BlobId.of(bucket, name, generation));
        return new StringReader(new String(bytes, encoding));
      } catch (StorageException e) {
        throw new FlywayException(
            GcsFaults.describe(e, "reading migration " + getAbsolutePath(), FIX), e);
      }
    }

    @Override
    public String getAbsolutePath() {
      return "gs:" + bucket + "/" + name;
    }

    @Override
    public String getAbsolutePathOnDisk() {
      return getAbsolutePath();
    }

    @Override
    public String getFilename() {
      return name.substring(name.lastIndexOf('/') + 1);
    }

    @Override
    public String getRelativePath() {
      return getAbsolutePath();
    }
  }
}
