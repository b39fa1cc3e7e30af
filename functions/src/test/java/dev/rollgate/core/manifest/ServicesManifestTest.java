package dev.rollgate.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code services:}: several services of one environment released together, in order. */
class ServicesManifestTest {

  private static String env(String body) {
    return """
        apps:
          - name: shop
            image: registry.test/team/shop
            environments:
              staging:
        %s
        """
        .formatted(body.indent(8).stripTrailing());
  }

  private static Manifest parse(String yaml) {
    return ManifestLoader.parse(yaml, "rollgate.yaml", Path.of("/tmp"));
  }

  private static List<String> problems(String yaml) {
    return assertThrows(ManifestException.class, () -> parse(yaml)).problems();
  }

  @Test
  void parse_shouldReadServicesInOrder_whenAnEnvironmentListsThem() {
    // GIVEN api (the pushed image) then web (its own repository at the pushed tag)
    String yaml =
        env(
            """
            services:
              - name: api
                target: { platform: memory, service: api }
                health: { url: "{url}/ready", successThreshold: 2 }
              - name: web
                image: registry.test/team/web
                target: { platform: memory, service: web }
            """);
    // WHEN parsed
    EnvironmentSpec e = parse(yaml).environment("shop", "staging").orElseThrow();
    // THEN both are there, in order, each with its own target and health
    assertTrue(e.isRelease());
    assertEquals(List.of("api", "web"), e.services().stream().map(ServiceSpec::name).toList());
    assertNull(e.services().get(0).image());
    assertEquals("registry.test/team/web", e.services().get(1).image().name());
    assertEquals("{url}/ready", e.services().get(0).health().url());
    assertEquals(2, e.services().get(0).health().successThreshold());
    assertEquals(Duration.ofSeconds(120), e.services().get(1).health().deadline());
    assertEquals("memory:web", e.services().get(1).target().display());
    assertEquals(
        "apps[0].environments.staging.services[1].target", e.services().get(1).target().path());
    // AND the environment's target is the first service's (where a migration job runs)
    assertEquals("memory:api", e.target().display());
    assertFalse(
        parse(env("target: { platform: memory, service: shop }"))
            .apps()
            .get(0)
            .environments()
            .get(0)
            .isRelease());
  }

  @Test
  void parse_shouldRefuseBothForms_whenTargetAndServicesAreGiven() {
    String yaml =
        env(
            """
            target: { platform: memory, service: shop }
            health: { interval: 1s }
            services:
              - { name: api, target: { platform: memory, service: api } }
              - { name: web, target: { platform: memory, service: web } }
            """);
    List<String> problems = problems(yaml);
    assertTrue(
        problems.contains(
            "apps[0].environments.staging.target: name either target (one service) or services"
                + " (several, released in order), not both"),
        problems.toString());
    assertTrue(
        problems.contains(
            "apps[0].environments.staging.health: with services, each service has its own health:"
                + " write it under apps[0].environments.staging.services[i]"),
        problems.toString());
  }

  @Test
  void parse_shouldNameEachPath_whenServicesAreWrong() {
    String yaml =
        env(
            """
            services:
              - { name: api, target: { platform: memory, service: api }, colour: blue }
              - { name: api, image: "registry.test/team/web:v1", target: { platform: memory } }
              - { name: Web }
            """);
    List<String> problems = problems(yaml);
    String at = "apps[0].environments.staging.services";
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith(at + "[0].colour: unknown key")),
        problems.toString());
    assertTrue(
        problems.contains(at + "[1].name: duplicate service name 'api'"), problems.toString());
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith(at + "[1].image: name the repository only")),
        problems.toString());
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith(at + "[2].name: names are lower-case")),
        problems.toString());
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith(at + "[2].target: missing")),
        problems.toString());
  }

  @Test
  void parse_shouldAskForTwoServices_whenOneOrNoneIsListed() {
    List<String> one =
        problems(env("services:\n  - { name: api, target: { platform: memory, service: api } }"));
    assertEquals(
        List.of(
            "apps[0].environments.staging.services: list at least two services released in order;"
                + " for one service write target and health on the environment instead"),
        one);
    List<String> notAList = problems(env("services: api"));
    assertTrue(
        notAList.get(0).startsWith("apps[0].environments.staging.services: expected a list"),
        notAList.toString());
  }
}
