package dev.rollgate.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlywayLocationsTest {

  private static Manifest manifest(String location) {
    return ManifestLoader.parse(
        """
        apps:
          - name: shop
            image: registry.example.com/team/shop
            environments:
              staging:
                target: { platform: local, service: shop, command: "run {port}" }
                migrations:
                  flyway: { locations: ["filesystem:db", "%s"], database: env:DB }
        """
            .formatted(location),
        "rollgate.yaml",
        Path.of("/base"));
  }

  @Test
  void problems_shouldNameTheInstalledSchemes_whenNoAdapterReadsALocationsScheme() {
    // GIVEN a gs: location and only s3 registered
    Manifest m = manifest("gs:bucket/db");

    // WHEN
    List<String> problems = FlywayLocations.problems(m, Set.of("s3"));

    // THEN
    assertEquals(
        List.of(
            "apps[0].environments.staging.migrations.flyway.locations[1]: no installed adapter"
                + " reads 'gs:' locations; installed: [classpath:, filesystem:, s3:]"),
        problems);
  }

  @Test
  void problems_shouldBeEmpty_whenTheSchemeIsBuiltInOrRegistered() {
    // GIVEN / WHEN / THEN
    assertEquals(List.of(), FlywayLocations.problems(manifest("classpath:db"), Set.of()));
    assertEquals(List.of(), FlywayLocations.problems(manifest("s3:bucket/db"), Set.of("s3")));
    assertEquals(
        1, FlywayLocations.problems(manifest("s3:bucket/db"), Set.of()).size(), "s3 unregistered");
  }
}
