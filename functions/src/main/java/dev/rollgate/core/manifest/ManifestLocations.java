package dev.rollgate.core.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads the manifest from where the configuration says: a file path, {@code classpath:NAME}, or any
 * location an installed {@link ManifestSource} handles (e.g. {@code s3://bucket/key}).
 */
public final class ManifestLocations {

  private ManifestLocations() {}

  /** Loads it from a file, the classpath, or the first of {@code sources} that handles it. */
  public static Manifest load(String location, List<ManifestSource> sources) {
    if (location.startsWith("classpath:")) {
      String name = location.substring("classpath:".length()).replaceFirst("^/", "");
      try (InputStream in =
          Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
        if (in == null) {
          throw new ManifestException(location, List.of("not found on the classpath"));
        }
        return ManifestLoader.parse(
            new String(in.readAllBytes(), StandardCharsets.UTF_8), location, Path.of("."));
      } catch (IOException e) {
        throw new ManifestException(location, List.of("cannot read it: " + e.getMessage()));
      }
    }
    for (ManifestSource source : sources) {
      if (source.handles(location)) {
        try {
          return ManifestLoader.parse(source.read(location), location, source.baseDir(location));
        } catch (IOException e) {
          throw new ManifestException(location, List.of("cannot read it: " + e.getMessage()));
        }
      }
    }
    if (location.matches("^[a-z0-9]+://.*")) {
      throw new ManifestException(
          location,
          List.of(
              "no installed adapter reads "
                  + location.substring(0, location.indexOf(':'))
                  + ": locations; use a file path or classpath:"));
    }
    return ManifestLoader.load(Path.of(location));
  }
}
