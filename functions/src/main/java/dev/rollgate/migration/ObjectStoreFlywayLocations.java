package dev.rollgate.migration;

import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.scanner.ReadOnlyLocationHandler;

/**
 * A Flyway location plugin for an object store (the gcp adapter's {@code gs:}, the azure adapter's
 * {@code azblob:}): the migrations are the objects under the location's prefix, listed when Flyway
 * scans and each read, at the version it was listed with, when Flyway asks for its text (see
 * docs/adr/0012-gcs-flyway-locations.md).
 *
 * <p>An adapter says where a location points and how its store lists and reads there; the store's
 * own errors leave as FlywayExceptions naming the location, what the store said and the fix, and a
 * location with nothing under it fails instead of migrating nothing.
 */
public abstract class ObjectStoreFlywayLocations implements ReadOnlyLocationHandler {

  private final String scheme;
  private final String objects;
  private final String fix;

  /**
   * @param scheme the location prefix without the colon, e.g. {@code gs}
   * @param objects what the store holds, in messages, e.g. {@code objects} or {@code blobs}
   * @param fix what a person does when the store fails, e.g. "create the bucket and ..."
   */
  protected ObjectStoreFlywayLocations(String scheme, String objects, String fix) {
    this.scheme = scheme;
    this.objects = objects;
    this.fix = fix;
  }

  /**
   * Where {@code location} points in the store.
   *
   * @throws FlywayException for a location the store cannot read, naming it
   */
  protected abstract Place place(Location location);

  /**
   * The message for {@code e}, thrown by the store while {@code doing}, with what the store said
   * and {@code fix}; empty for an exception that is not the store's (it leaves as it is).
   */
  protected abstract Optional<String> describe(RuntimeException e, String doing, String fix);

  /** A bucket or container a location names, and the name or prefix inside it. */
  public interface Place {

    /** The object name or prefix inside the bucket or container, no leading slash; may be empty. */
    String path();

    /** The object {@code name} here, as messages and Flyway name it, e.g. {@code gs:b/name}. */
    String describe(String name);

    /** The location itself, as the message of a failed {@link #get} names it. */
    String itself();

    /** Hands over each object whose name starts with {@code prefix}. */
    void list(String prefix, Consumer<Stored> each);

    /** The object the location names itself; empty if it names a prefix or there is none. */
    Optional<Stored> get();
  }

  /**
   * One object of the store.
   *
   * @param content reads the object, at the version it was listed with
   */
  public record Stored(String name, Supplier<byte[]> content) {}

  @Override
  public final String getPrefix() {
    return scheme + ":";
  }

  @Override
  public final boolean handlesWildcards() {
    return false;
  }

  @Override
  public final String getPathSeparator() {
    return "/";
  }

  /** {@code //bucket/prefix} (from {@code scheme://bucket/prefix}) without the slashes. */
  @Override
  public final String normalizePath(String path) {
    String p = path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p;
  }

  @Override
  public final Collection<LoadableResource> scanForResources(
      Location location, Configuration config) {
    Place at = place(location);
    String prefix = at.path().isEmpty() || at.path().endsWith("/") ? at.path() : at.path() + "/";
    String where = at.describe(prefix);
    List<LoadableResource> found = new ArrayList<>();
    call(
        "listing migrations in " + where,
        () -> {
          at.list(
              prefix,
              s -> {
                if (!s.name().endsWith("/")) {
                  found.add(new Resource(at, s, config.getEncoding()));
                }
              });
          return found;
        });
    if (found.isEmpty() && config.isFailOnMissingLocations()) {
      throw new FlywayException(
          "migration location "
              + where
              + " holds no "
              + objects
              + "; upload the migrations there or fix"
              + " migrations.locations");
    }
    return found;
  }

  @Override
  public final Optional<LoadableResource> getResource(Location location, Configuration config) {
    Place at = place(location);
    return call(
        "reading " + at.itself(),
        () -> at.get().map(s -> new Resource(at, s, config.getEncoding())));
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + getPrefix() + "]";
  }

  private <T> T call(String doing, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      Optional<String> message = describe(e, doing, fix);
      if (message.isEmpty()) {
        throw e;
      }
      throw new FlywayException(message.get(), e);
    }
  }

  /** One migration, read when Flyway asks for its text. */
  private final class Resource extends LoadableResource {

    private final Place at;
    private final Stored stored;
    private final Charset encoding;

    Resource(Place at, Stored stored, Charset encoding) {
      this.at = at;
      this.stored = stored;
      this.encoding = encoding;
    }

    @Override
    public Reader read() {
      byte[] bytes = call("reading migration " + getAbsolutePath(), stored.content());
      return new StringReader(new String(bytes, encoding));
    }

    @Override
    public String getAbsolutePath() {
      return at.describe(stored.name());
    }

    @Override
    public String getAbsolutePathOnDisk() {
      return getAbsolutePath();
    }

    @Override
    public String getFilename() {
      return stored.name().substring(stored.name().lastIndexOf('/') + 1);
    }

    @Override
    public String getRelativePath() {
      return getAbsolutePath();
    }
  }
}
