package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.TargetSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudRunTargetTest {

  private static final String PATH = "apps[0].environments.prod.target";

  @Test
  void validate_shouldNameEachPath_whenSettingsAreWrong() {
    // GIVEN
    TargetSpec target =
        new TargetSpec(
            "cloudrun",
            Map.of(
                "project", "P",
                "region", "europe",
                "service", "Shop",
                "url", "shop.example.com",
                "jobRegion", "eu",
                "cluster", "x"),
            PATH);

    // WHEN
    List<String> problems = CloudRunTarget.validate(target, null);

    // THEN
    for (String key : List.of("project", "region", "service", "url", "jobRegion", "cluster")) {
      assertTrue(
          problems.stream().anyMatch(p -> p.startsWith(PATH + "." + key + ":")),
          key + " in " + problems);
    }
  }

  @Test
  void validate_shouldTakeTheDefaultProject_whenTheTargetNamesNone() {
    // GIVEN
    TargetSpec target =
        new TargetSpec("cloudrun", Map.of("region", "europe-west1", "service", "shop"), PATH);

    // WHEN / THEN
    assertEquals(List.of(), CloudRunTarget.validate(target, "my-project"));
    assertTrue(CloudRunTarget.validate(target, null).get(0).startsWith(PATH + ".project: missing"));
  }
}
