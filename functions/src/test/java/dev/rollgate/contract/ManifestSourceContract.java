package dev.rollgate.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.core.manifest.ManifestLocations;
import dev.rollgate.core.manifest.ManifestSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ManifestSource} must do (S3, GCS, Blob, ...): read the manifest at the
 * locations it handles, for the loader to validate; name the location when it cannot.
 */
public abstract class ManifestSourceContract {

  /** A valid manifest's text. */
  protected static final String MANIFEST =
      """
      version: 1
      apps:
        - name: shop
          image: registry.test/team/shop
          environments:
            staging:
              target: { platform: memory, service: shop-staging }
      """;

  protected abstract ManifestSource source();

  /** Stores {@code text} where the source reads it; the location that names it. */
  protected abstract String store(String text) throws Exception;

  /** A location of the source's kind where nothing is stored. */
  protected abstract String missing();

  @Test
  void load_shouldReadAndValidate_whenTheManifestIsStored() throws Exception {
    // GIVEN a stored manifest
    String location = store(MANIFEST);
    assertTrue(source().handles(location));
    // WHEN it is loaded through the source
    Manifest manifest = ManifestLocations.load(location, List.of(source()));
    // THEN it is the stored one
    assertEquals("shop", manifest.apps().get(0).name());
  }

  @Test
  void load_shouldNameTheLocation_whenNothingIsStoredThere() {
    // GIVEN / WHEN a location where nothing is
    ManifestException e =
        assertThrows(
            ManifestException.class, () -> ManifestLocations.load(missing(), List.of(source())));
    // THEN the error names it
    assertTrue(e.getMessage().contains(missing()), e.getMessage());
  }

  @Test
  void load_shouldListTheProblemsWithTheirPaths_whenTheStoredManifestIsInvalid() throws Exception {
    // GIVEN a stored manifest with a typo
    String location = store(MANIFEST.replace("image:", "imgae:"));
    // WHEN / THEN the loader's usual problems come back, with the location
    ManifestException e =
        assertThrows(
            ManifestException.class, () -> ManifestLocations.load(location, List.of(source())));
    assertTrue(e.getMessage().contains(location), e.getMessage());
    assertTrue(e.getMessage().contains("apps[0]"), e.getMessage());
  }

  @Test
  void handles_shouldRefuse_whenTheLocationIsAFileOrTheClasspath() {
    // GIVEN / WHEN / THEN files and the classpath stay the loader's own
    assertFalse(source().handles("rollgate.yaml"));
    assertFalse(source().handles("classpath:rollgate.yaml"));
  }
}
