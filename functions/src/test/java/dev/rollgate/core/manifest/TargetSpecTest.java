package dev.rollgate.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetSpecTest {

  @Test
  void statusNamesTheWorkloadByWhatEachPlatformCallsIt() {
    assertEquals(
        "ecs:shop-web",
        new TargetSpec("ecs", Map.of("cluster", "prod", "service", "shop-web"), "t").display());
    assertEquals(
        "containerapps:shop",
        new TargetSpec("containerapps", Map.of("resourceGroup", "rg", "app", "shop"), "t")
            .display());
    assertEquals("custom:?", new TargetSpec("custom", Map.of(), "t").display());
  }
}
