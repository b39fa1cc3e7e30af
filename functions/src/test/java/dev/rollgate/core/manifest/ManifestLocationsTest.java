package dev.rollgate.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLocationsTest {

  private static final String YAML =
      "apps:\n  - name: shop\n    image: team/shop\n    environments:\n"
          + "      staging: { target: { platform: local, service: s } }\n";

  @Test
  void load_shouldReadAFile_andResolvePathsAgainstItsDirectory(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rollgate.yaml");
    Files.writeString(file, YAML);
    Manifest m = ManifestLocations.load(file.toString(), List.of());
    assertEquals("shop", m.apps().get(0).name());
    assertEquals(dir.toAbsolutePath(), m.baseDir());
  }

  @Test
  void load_shouldReadTheClasspath_whenPrefixed() {
    Manifest m = ManifestLocations.load("classpath:manifests/minimal.yaml", List.of());
    assertEquals("shop", m.apps().get(0).name());
  }

  @Test
  void load_shouldSaySo_whenTheLocationCannotBeRead() {
    ManifestException missing =
        assertThrows(
            ManifestException.class,
            () -> ManifestLocations.load("classpath:nope.yaml", List.of()));
    assertTrue(missing.getMessage().contains("classpath:nope.yaml"), missing.getMessage());
    ManifestException scheme =
        assertThrows(
            ManifestException.class,
            () -> ManifestLocations.load("gs://b/rollgate.yaml", List.of()));
    assertTrue(scheme.getMessage().contains("no installed adapter reads gs: locations"));
    ManifestException file =
        assertThrows(
            ManifestException.class, () -> ManifestLocations.load("/no/such/file.yaml", List.of()));
    assertTrue(file.getMessage().contains("cannot read the file"), file.getMessage());
  }
}
