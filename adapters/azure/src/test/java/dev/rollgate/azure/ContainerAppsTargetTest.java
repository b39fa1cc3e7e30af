package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.TargetSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerAppsTargetTest {

  private static final String PATH = "apps[0].environments.prod.target";

  @Test
  void validate_shouldNameEachProblemsPath_whenSettingsAreWrong() {
    // GIVEN
    TargetSpec t =
        new TargetSpec(
            "containerapps",
            Map.of(
                "subscription",
                "not-a-guid",
                "app",
                "Shop--App",
                "url",
                "shop.example.com",
                "region",
                "x"),
            PATH);

    // WHEN
    List<String> problems = ContainerAppsTarget.validate(t, null);

    // THEN
    assertEquals(5, problems.size(), problems.toString());
    assertTrue(
        problems.get(0).startsWith(PATH + ".subscription: not a subscription id"), problems.get(0));
    assertTrue(problems.get(1).startsWith(PATH + ".resourceGroup: missing"), problems.get(1));
    assertTrue(
        problems.get(2).startsWith(PATH + ".app: not a Container Apps name"), problems.get(2));
    assertTrue(problems.get(3).startsWith(PATH + ".url: not an absolute"), problems.get(3));
    assertTrue(
        problems.get(4).startsWith(PATH + ".region: unknown Container Apps setting"),
        problems.get(4));
  }

  @Test
  void validate_shouldTakeTheDefaultSubscription_whenTheTargetNamesNone() throws Exception {
    // GIVEN
    TargetSpec t =
        new TargetSpec("containerapps", Map.of("resourceGroup", "shop-rg", "app", "shop"), PATH);
    String sub = "3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b";

    // WHEN / THEN
    assertEquals(List.of(), ContainerAppsTarget.validate(t, sub));
    assertEquals(sub, ContainerAppsTarget.of(t, sub).subscription());
    assertTrue(ContainerAppsTarget.validate(t, null).get(0).contains("AZURE_SUBSCRIPTION_ID"));
  }
}
