package dev.rollgate.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.InMemoryLedger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code status}'s DORA figures and targets, and the alert when a target starts to be missed. */
class DoraStatusTest {

  private static final String TARGETS =
      "        dora: { window: 7d, changeFailureRate: 10%, timeToRestore: 1s, leadTime: 1h }\n"
          + "      production:\n";

  private static JsonNode status(EngineHarness h, Map<String, String> query) throws Exception {
    FunctionResponse r = h.api.status(new FunctionRequest(new byte[0], Map.of(), query));
    assertEquals(200, r.status(), r.body());
    return Json.MAPPER.readTree(r.body());
  }

  private static JsonNode dora(JsonNode status, String env) {
    for (JsonNode e : status.path("environments")) {
      if (e.path("environment").asText().equals(env)) {
        return e.path("dora");
      }
    }
    throw new AssertionError("no " + env + " in " + status);
  }

  private static void push(EngineHarness h, String tag, int n) {
    assertEquals(202, h.imagePushed(EngineHarness.push("shop", tag, n, "e" + n, null)).status());
  }

  @Test
  void status_shouldReportDoraFigures_whenDeploymentsSucceededAndFailed() throws Exception {
    // GIVEN v1 succeeded (2 s after its push), then an hour later v2 failed and rolled back in 2 s
    EngineHarness h = new EngineHarness(new InMemoryLedger());
    push(h, "v1", 1);
    h.clock.advance(Duration.ofHours(1));
    h.unhealthyTags.add("v2");
    push(h, "v2", 2);
    // WHEN status is asked for the last 12 hours
    JsonNode dora = dora(status(h, Map.of("since", "12h")), "staging");
    // THEN every figure is there
    assertEquals(h.clock.now().toString(), dora.path("until").asText(), dora.toString());
    assertEquals(h.clock.now().minus(Duration.ofHours(12)).toString(), dora.path("since").asText());
    assertEquals(2, dora.path("deployments").asInt(), dora.toString());
    assertEquals(1, dora.path("succeeded").asInt());
    assertEquals(1, dora.path("failed").asInt());
    assertEquals(2.0, dora.path("deploymentsPerDay").asDouble(), dora.toString());
    assertEquals(0.5, dora.path("changeFailureRate").asDouble());
    assertEquals(2.0, dora.path("leadTimeMedianSeconds").asDouble());
    assertEquals(1, dora.path("restores").asInt());
    assertEquals(2.0, dora.path("timeToRestoreMedianSeconds").asDouble());
    assertTrue(dora.path("failingSince").isNull());
    assertTrue(dora.path("targets").isMissingNode(), "no targets in this manifest");
    // AND production, where nothing was deployed, has no rate and no medians
    JsonNode production = dora(status(h, Map.of()), "production");
    assertEquals(0, production.path("deployments").asInt());
    assertTrue(production.path("changeFailureRate").isNull(), production.toString());
    assertTrue(production.path("leadTimeMedianSeconds").isNull());
    assertEquals(
        h.clock.now().minus(Duration.ofDays(30)).toString(), production.path("since").asText());
  }

  @Test
  void status_shouldAnswer400_whenTheWindowIsNotADuration() {
    EngineHarness h = new EngineHarness(new InMemoryLedger());
    for (String bad : List.of("30", "0d", "soon", "-1d", "1w")) {
      FunctionResponse r =
          h.api.status(new FunctionRequest(new byte[0], Map.of(), Map.of("since", bad)));
      assertEquals(400, r.status(), bad);
      assertTrue(r.body().contains("?since: expected a duration back from now like 30d"), r.body());
    }
    FunctionResponse tooFar =
        h.api.status(new FunctionRequest(new byte[0], Map.of(), Map.of("since", "999999999d")));
    assertEquals(400, tooFar.status());
    assertTrue(tooFar.body().contains("?since: at most 36500d back from now"), tooFar.body());
  }

  @Test
  void outcome_shouldAlertOncePerTarget_whenItStartsToBeMissed() throws Exception {
    // GIVEN staging with targets: change failure rate at most 10%, restore within 1 s
    EngineHarness h =
        new EngineHarness(
            new InMemoryLedger(),
            EngineHarness.manifest(1).replaceFirst("(?m)^      production:\\n", TARGETS),
            null);
    // WHEN v1 succeeds THEN no target is missed
    push(h, "v1", 1);
    assertEquals(List.of(), h.alerts);
    // WHEN v2 fails (1 of 2 failed) and its rollback takes 2 s
    h.unhealthyTags.add("v2");
    push(h, "v2", 2);
    // THEN each miss is told once, when it begins
    assertEquals(
        List.of(
            "shop/staging dora: DORA target missed over the last 7d: change failure rate 50% is"
                + " above the target of 10%",
            "shop/staging dora: DORA target missed over the last 7d: median time to restore 2s is"
                + " above the target of 1s"),
        h.alerts);
    // WHEN v3 fails too THEN nothing new is told: both targets were missed already
    h.unhealthyTags.add("v3");
    push(h, "v3", 3);
    assertEquals(2, h.alerts.size(), h.alerts.toString());
    // AND status shows the targets and what misses them
    JsonNode targets = dora(status(h, Map.of()), "staging").path("targets");
    assertEquals("7d", targets.path("window").asText(), targets.toString());
    assertEquals(0.1, targets.path("changeFailureRate").asDouble());
    assertEquals(1, targets.path("timeToRestoreSeconds").asLong());
    assertEquals(3600, targets.path("leadTimeSeconds").asLong());
    assertEquals(2, targets.path("missed").size(), targets.toString());
    assertEquals("changeFailureRate", targets.path("missed").get(0).path("target").asText());
    assertEquals(
        "change failure rate 66.67% is above the target of 10%",
        targets.path("missed").get(0).path("message").asText());
  }
}
