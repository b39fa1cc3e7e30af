package dev.rollgate.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.rollgate.assembly.Settings;
import dev.rollgate.migration.ObjectStoreFlywayLocations;
import java.util.Optional;
import java.util.function.Consumer;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.Location;

/**
 * Flyway's {@code azblob:ACCOUNT/CONTAINER/PREFIX} locations (also written {@code azblob://...}):
 * the migrations are the blobs under the prefix, listed and read with rollgate's Blob Storage
 * clients. A Flyway location plugin found through {@code META-INF/services}, as {@code gs:} is
 * (docs/adr/0012); what every object store shares is {@link ObjectStoreFlywayLocations}'s. Flyway
 * builds this class itself, so the clients are handed over through {@link #install}. Each blob is
 * read at the ETag it was listed with.
 */
public final class BlobFlywayLocations extends ObjectStoreFlywayLocations {

  static final String SCHEME = BlobLocation.SCHEME;

  private static volatile BlobStorage installed;

  /** For Flyway's plugin loader. */
  public BlobFlywayLocations() {
    super(
        SCHEME,
        "blobs",
        "create the container and upload the migrations, or fix migrations.locations");
  }

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
  protected Place place(Location location) {
    String root = "azblob://" + normalizePath(location.getRootPath());
    try {
      return new Container(location, BlobLocation.parse(root, "azblob:ACCOUNT/CONTAINER/PATH"));
    } catch (IllegalArgumentException e) {
      throw new FlywayException("migration location " + location + ": " + e.getMessage());
    }
  }

  @Override
  protected Optional<String> describe(RuntimeException e, String doing, String fix) {
    return e instanceof BlobStorageException b
        ? Optional.of(BlobStorage.describe(b, doing, fix))
        : Optional.empty();
  }

  /** A container and the blob name or prefix in it. */
  private record Container(Location location, BlobLocation at) implements Place {

    @Override
    public String path() {
      return at.path();
    }

    @Override
    public String describe(String name) {
      return at.describe(name);
    }

    @Override
    public String itself() {
      return location.toString();
    }

    @Override
    public void list(String prefix, Consumer<Stored> each) {
      BlobContainerClient container = storage().container(at);
      for (BlobItem b : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
        each.accept(stored(container, b.getName(), b.getProperties().getETag()));
      }
    }

    @Override
    public Optional<Stored> get() {
      if (at.path().isEmpty() || at.path().endsWith("/")) {
        return Optional.empty();
      }
      BlobContainerClient container = storage().container(at);
      var blob = container.getBlobClient(at.path());
      if (!blob.exists()) {
        return Optional.empty();
      }
      return Optional.of(stored(container, at.path(), blob.getProperties().getETag()));
    }

    private static Stored stored(BlobContainerClient container, String name, String etag) {
      return new Stored(
          name,
          () ->
              container
                  .getBlobClient(name)
                  .downloadContentWithResponse(
                      null, new BlobRequestConditions().setIfMatch(etag), null, null)
                  .getValue()
                  .toBytes());
    }
  }
}
