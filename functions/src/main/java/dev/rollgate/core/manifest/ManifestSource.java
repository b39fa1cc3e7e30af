package dev.rollgate.core.manifest;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a manifest can come from besides a file or the classpath (an object store, ...). Adapters
 * contribute implementations to the assembly ({@code Contributions.manifestSource}).
 */
public interface ManifestSource {

  /** True when this source reads locations like {@code location} (e.g. {@code s3://...}). */
  boolean handles(String location);

  /** The manifest's text. */
  String read(String location) throws IOException;

  /**
   * Where relative paths in a manifest read from {@code location} resolve (an object has no
   * directory; default: the working directory).
   */
  default Path baseDir(String location) {
    return Path.of(".");
  }
}
