package dev.rollgate.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rollgate.core.manifest.PrometheusSpec.Threshold;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryManifestTest {

  private static final String HEAD =
      """
      version: 1
      apps:
        - name: shop
          image: registry.test/team/shop
          environments:
            production:
              target: { platform: local, service: shop, command: "java Shop.java" }
      """;

  private static Manifest manifest(String strategy) {
    int common =
        strategy
            .lines()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    String indented =
        String.join("\n", strategy.lines().map(l -> l.isBlank() ? l : l.substring(common)).toList())
            .indent(8);
    return ManifestLoader.parse(HEAD + indented, "rollgate.yaml", Path.of("/base"));
  }

  private static CanarySpec parse(String strategy) {
    return manifest(strategy).environment("shop", "production").orElseThrow().canary();
  }

  private static List<String> problems(String strategy) {
    return assertThrows(ManifestException.class, () -> manifest(strategy)).problems();
  }

  @Test
  void parse_shouldReadEverySetting_whenGiven() {
    CanarySpec c =
        parse(
            """
                  strategy:
                    canary:
                      steps: [5, 25, 100]
                      pause: 2m
                      analysis:
                        success-rate: 95%
                        latency: 300ms
                        prometheus:
                          url: http://127.0.0.1:9090
                          query: 'sum(rate(errors_total{revision="{revision}"}[1m]))'
                          expect: "< 0.01"
                          bearer-token: env:PROM_TOKEN
                          timeout: 2s
            """);
    assertEquals(List.of(5, 25, 100), c.steps());
    assertEquals(Duration.ofMinutes(2), c.pause());
    assertEquals(0.95, c.analysis().successRate(), 1e-9);
    assertEquals(Duration.ofMillis(300), c.analysis().latency());
    PrometheusSpec p = c.analysis().prometheus();
    assertEquals(URI.create("http://127.0.0.1:9090"), p.url());
    assertEquals("sum(rate(errors_total{revision=\"{revision}\"}[1m]))", p.query());
    assertEquals(new Threshold("<", 0.01), p.expect());
    assertEquals("env:PROM_TOKEN", p.bearerToken().scheme() + ":" + p.bearerToken().name());
    assertEquals(Duration.ofSeconds(2), p.timeout());
    assertEquals("apps[0].environments.production.strategy.canary.analysis.prometheus", p.path());
  }

  @Test
  void parse_shouldUseTheDefaults_whenOnlyCanaryIsNamed() {
    CanarySpec c = parse("        strategy: { canary: {} }\n");
    assertEquals(List.of(10, 50, 100), c.steps());
    assertEquals(Duration.ofMinutes(1), c.pause());
    assertEquals(0.99, c.analysis().successRate(), 1e-9);
    assertEquals(Duration.ofSeconds(1), c.analysis().latency());
    assertNull(c.analysis().prometheus());
    assertNull(parse(""));
  }

  @Test
  void parse_shouldNameEveryProblemWithItsPath_whenTheCanaryIsWrong() {
    String at = "apps[0].environments.production.strategy.canary";
    assertEquals(
        List.of(
            at + ".steps[1]: steps must be strictly increasing: 10 does not follow 50",
            at + ".steps[2]: a share is 1..100 percent, got 120",
            at + ".analysis.success-rate: must be more than 0% and at most 100%, got '150%'",
            at
                + ".analysis.prometheus.expect: expected a comparison and a number, e.g. \"< 0.01\""
                + " (one of <, <=, >, >=, ==), got 'small'"),
        problems(
            """
                  strategy:
                    canary:
                      steps: [50, 10, 120]
                      analysis:
                        success-rate: 150%
                        prometheus: { url: "http://p:9090", query: up, expect: small }
            """));
    assertEquals(
        List.of(
            at
                + ".steps: the last step must be 100 (the new revision takes all traffic after it"
                + " passes), got [10, 50]"),
        problems("        strategy: { canary: { steps: [10, 50] } }\n"));
    assertEquals(
        List.of(
            "apps[0].environments.production.strategy.rolling: unknown key; expected one of"
                + " canary",
            "apps[0].environments.production.strategy: empty: name a strategy (canary:) or leave"
                + " strategy out to release all at once"),
        problems("        strategy: { rolling: {} }\n"));
  }
}
