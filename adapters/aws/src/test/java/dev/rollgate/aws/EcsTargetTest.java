package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.PlatformException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EcsTargetTest {

  private static final String PATH = "apps[0].environments.staging.target";

  private static TargetSpec target(Map<String, String> changes) {
    Map<String, String> settings =
        new HashMap<>(
            Map.of(
                "cluster", "prod",
                "service", "shop",
                "container", "app",
                "region", "eu-west-1",
                "url", "https://shop.example.com"));
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            settings.remove(k);
          } else {
            settings.put(k, v);
          }
        });
    return new TargetSpec("ecs", settings, PATH);
  }

  @Test
  void validate_shouldFindNothing_whenTheTargetIsComplete() {
    // GIVEN / WHEN / THEN
    assertEquals(List.of(), EcsTarget.validate(target(Map.of())));
  }

  @Test
  void validate_shouldNameEachMissingSetting_whenRequiredOnesAreMissing() {
    // GIVEN
    Map<String, String> missing = new HashMap<>();
    missing.put("cluster", null);
    missing.put("container", null);

    // WHEN
    List<String> problems = EcsTarget.validate(target(missing));

    // THEN
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith(PATH + ".cluster: missing"), problems.toString());
    assertTrue(problems.get(1).startsWith(PATH + ".container: missing"), problems.toString());
  }

  @Test
  void validate_shouldRefuse_whenRegionUrlOrAKeyIsWrong() {
    // GIVEN
    TargetSpec wrong =
        target(Map.of("region", "Ireland", "url", "shop.example.com", "clsuter", "prod"));

    // WHEN
    List<String> problems = EcsTarget.validate(wrong);

    // THEN
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(PATH + ".region: not an AWS region")));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(PATH + ".url: not an absolute")));
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith(PATH + ".clsuter: unknown ECS setting")));
  }

  @Test
  void of_shouldThrowANonRetryableFault_whenTheTargetIsInvalid() {
    // GIVEN
    Map<String, String> missing = new HashMap<>();
    missing.put("service", null);

    // WHEN
    PlatformException e =
        assertThrows(PlatformException.class, () -> EcsTarget.of(target(missing)));

    // THEN
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains(PATH + ".service: missing"), e.getMessage());
  }
}
