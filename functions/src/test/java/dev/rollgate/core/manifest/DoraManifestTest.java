package dev.rollgate.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DoraManifestTest {

  private static final String HEAD =
      """
      apps:
        - name: shop
          image: registry.example.com/team/shop
          environments:
            production:
              target: { platform: local, service: shop-production, command: "run {port}" }
      """;

  private static DoraTargets parse(String doraYaml) {
    return ManifestLoader.parse(HEAD + doraYaml, "rollgate.yaml", Path.of("/base"))
        .environment("shop", "production")
        .orElseThrow()
        .dora();
  }

  @Test
  void parse_shouldReadEveryTarget_whenGiven() {
    DoraTargets t =
        parse(
            "        dora:\n"
                + "          window: 14d\n"
                + "          deploymentsPerDay: 0.5\n"
                + "          leadTime: 1h\n"
                + "          changeFailureRate: 12.5%\n"
                + "          timeToRestore: 15m\n");
    assertEquals(
        new DoraTargets(
            Duration.ofDays(14), 0.5, Duration.ofHours(1), 0.125, Duration.ofMinutes(15)),
        t);
  }

  @Test
  void parse_shouldDefaultTheWindowAndLeaveTheRestUnset_whenOnlyOneTargetIsGiven() {
    assertEquals(
        new DoraTargets(Duration.ofDays(30), null, null, 0.1, null),
        parse("        dora: { changeFailureRate: 10% }\n"));
    assertNull(parse(""));
  }

  @Test
  void parse_shouldNameEveryProblemWithItsPath_whenTargetsAreWrong() {
    List<String> problems =
        assertThrows(
                ManifestException.class,
                () ->
                    ManifestLoader.parse(
                        HEAD
                            + "        dora:\n"
                            + "          window: forever\n"
                            + "          deploymentsPerDay: many\n"
                            + "          leadTime: 1w\n"
                            + "          changeFailureRate: 0.1\n"
                            + "          timeToRestore: 0m\n"
                            + "          mttr: 1h\n",
                        "rollgate.yaml",
                        Path.of("/base")))
            .problems();
    String p = "apps[0].environments.production.dora";
    assertEquals(
        List.of(
            p
                + ".mttr: unknown key; expected one of window, deploymentsPerDay, leadTime,"
                + " changeFailureRate, timeToRestore",
            p + ".window: expected a duration like 30m, 6h, 7d, got 'forever'",
            p
                + ".deploymentsPerDay: expected a number greater than zero (succeeded deployments"
                + " a day, e.g. 1 or 0.2), got 'many'",
            p + ".leadTime: expected a duration like 30m, 6h, 7d, got '1w'",
            p + ".changeFailureRate: expected a percentage from 0% to 100%, e.g. 10%, got '0.1'",
            p + ".timeToRestore: must be greater than zero"),
        problems);
  }
}
