package dev.rollgate.core.manifest;

import java.io.IOException;

/**
 * Where a manifest can come from besides a file or the classpath (an object store, ...). Adapters
 * provide implementations through {@link java.util.ServiceLoader}.
 */
public interface ManifestSource {

  /** True when this source reads locations like {@code location} (e.g. {@code s3://...}). */
  boolean handles(String location);

  /** The manifest's text. */
  String read(String location) throws IOException;
}
