package dev.rollgate.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.rollgate.assembly.Settings;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.scanner.ReadOnlyLocationHandler;

/**
 * Flyway's {@code azblob:ACCOUNT/CONTAINER/PREFIX} locations (also written {@code azblob://...}):
 * the migrations are the blobs under the prefix, listed and read with rollgate's Blob Storage
 * clients. A Flyway location plugin found through {@code META-INF/services}, as {@code gs:} is
 * (docs/adr/0012). Flyway builds this class itself, so the clients are handed over through {@link
 * #install}. Each blob is read at the ETag it was listed with.
 */
public final class BlobFlywayLocations implements ReadOnlyLocationHandler {

  static final String SCHEME = BlobLocation.SCHEME;

  private static final String FIX =
      "create the container and upload the migrations, or fix migrations.locations";

  private static volatile BlobStorage installed;

  /** For Flyway's plugin loader. */
  public BlobFlywayLocations() {}

  /** Makes {@code azblob:} locations read through {@code storage}. */
  static void install(BlobStorage storage) {
    installed = storage;
  }

  private static BlobStorage storage() {
    BlobStorage s = installed;
    if (s == null) {
      // Flyway run outside rollgate's assembly: the process's connection string, else Entra ID.
      s = new BlobStorage(AzureSettings.from(Settings.fromProcess()::get));
      installed = s;
    }
    return s;
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

  /** {@code //account/container/prefix} (from {@code azblob://...}) without the slashes. */
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
    BlobLocation at = parse(location);
    String prefix = at.path().isEmpty() || at.path().endsWith("/") ? at.path() : at.path() + "/";
    String where = at.describe(prefix);
    List<LoadableResource> found = new ArrayList<>();
    try {
      BlobContainerClient container = storage().container(at);
      for (BlobItem b : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
        if (!b.getName().endsWith("/")) {
          found.add(
              new Resource(
                  container, at, b.getName(), b.getProperties().getETag(), config.getEncoding()));
        }
      }
    } catch (BlobStorageException e) {
      throw new FlywayException(BlobStorage.describe(e, "listing migrations in " + where, FIX), e);
    }
    if (found.isEmpty() && config.isFailOnMissingLocations()) {
      throw new FlywayException(
          "migration location "
              + where
              + " holds no blobs; upload the migrations there or fix"
              + " migrations.locations");
    }
    return found;
  }

  @Override
  public Optional<LoadableResource> getResource(Location location, Configuration config) {
    BlobLocation at = parse(location);
    if (at.path().isEmpty() || at.path().endsWith("/")) {
      return Optional.empty();
    }
    try {
      BlobContainerClient container = storage().container(at);
      var blob = container.getBlobClient(at.path());
      if (!blob.exists()) {
        return Optional.empty();
      }
      return Optional.of(
          new Resource(
              container, at, at.path(), blob.getProperties().getETag(), config.getEncoding()));
    } catch (BlobStorageException e) {
      throw new FlywayException(BlobStorage.describe(e, "reading " + location, FIX), e);
    }
  }

  private static BlobLocation parse(Location location) {
    String root = "azblob://" + new BlobFlywayLocations().normalizePath(location.getRootPath());
    try {
      return BlobLocation.parse(root, "azblob:ACCOUNT/CONTAINER/PATH");
    } catch (IllegalArgumentException e) {
      throw new FlywayException("migration location " + location + ": " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "BlobFlywayLocations[azblob:]";
  }

  /** One migration blob, read (at the ETag listed) when Flyway asks for its text. */
  private static final class Resource extends LoadableResource {

    private final BlobContainerClient container;
    private final BlobLocation at;
    private final String name;
    private final String etag;
    private final Charset encoding;

    Resource(
        BlobContainerClient container,
        BlobLocation at,
        String name,
        String etag,
        Charset encoding) {
      this.container = container;
      this.at = at;
      this.name = name;
      this.etag = etag;
      this.encoding = encoding;
    }

    @Override
    public Reader read() {
      try {
        byte[] bytes =
            container
                .getBlobClient(name)
                .downloadContentWithResponse(
                    null, new BlobRequestConditions().setIfMatch(etag), null, null)
                .getValue()
                .toBytes();
        return new StringReader(new String(bytes, encoding));
      } catch (BlobStorageException e) {
        throw new FlywayException(
            BlobStorage.describe(e, "reading migration " + getAbsolutePath(), FIX), e);
      }
    }

    @Override
    public String getAbsolutePath() {
      return at.describe(name);
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
