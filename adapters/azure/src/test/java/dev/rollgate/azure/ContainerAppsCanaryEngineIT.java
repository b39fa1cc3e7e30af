package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus.State;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.FakeClock;
import dev.rollgate.testing.InMemoryLedger;
import dev.rollgate.testing.RecordingPlatform;
import dev.rollgate.testing.ScriptedProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole canary loop of the engine over the ARM fake, driven by Azure's own SDK: a release that
 * passes its steps ends with weight 100 (the old revision kept, out of the traffic, for a later
 * rollback), and one whose own fqdn answers unhealthy is caught at the first step, all traffic back
 * on the serving revision and the canary deactivated. The weights are read from the app's ingress
 * traffic, as ARM answers GET, while each step is analysed.
 */
class ContainerAppsCanaryEngineIT {

  private static final String CANARY = "{ steps: [10, 50, 100], pause: 5s }";

  private ContainerAppsFakeHarness fake;
  private FakeClock clock;
  private ContainerAppsPlatform platform;
  private RecordingPlatform recorded;
  private String app;
  private TargetSpec target;
  private InMemoryLedger ledger;

  /** The app's traffic each time the engine probed, consecutive repeats folded. */
  private final List<Map<String, Integer>> seen = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    fake = new ContainerAppsFakeHarness();
    fake.fake.provisionDelay(Duration.ZERO);
    clock = new FakeClock(Instant.now());
    platform = fake.platform(clock);
    recorded = new RecordingPlatform(platform);
    app = ContainerAppsFakeHarness.fresh("cnr");
    target = ContainerAppsFakeHarness.target(app, null);
    fake.createPlaceholderApp(app, "Multiple");
    ledger = new InMemoryLedger();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private RollgateApi api(Predicate<String> healthy) {
    ScriptedProbe probe =
        new ScriptedProbe(
            url -> {
              Map<String, Integer> now = weights();
              if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) {
                seen.add(now);
              }
              return healthy.test(url);
            });
    return ContainerAppsEngine.canary(ledger, clock, recorded, app, CANARY, probe);
  }

  @Test
  void canary_shouldGiveTheReleaseEachStepsShareAndThenAll_whenEveryAnalysisPasses()
      throws Exception {
    // GIVEN v1 serving (all at once: nothing served before, so nothing to split)
    RollgateApi api = api(url -> true);
    ContainerAppsEngine.push(api, "v1", Deployments.digest(1), "evt-1");
    Deployment v1 = ledger.deployments("shop", "staging", 1).get(0);
    assertEquals(Phase.SUCCEEDED, v1.phase(), v1.detail());
    seen.clear();

    // WHEN v2 is pushed
    ContainerAppsEngine.push(api, "v2", Deployments.digest(2), "evt-2");

    // THEN it SUCCEEDED after the app held 10, 50, 100 while each step was analysed
    Deployment v2 = ledger.deployments("shop", "staging", 1).get(0);
    assertEquals(Phase.SUCCEEDED, v2.phase(), v2.detail());
    String stable = v1.revision();
    String canary = v2.revision();
    assertEquals(stable, v2.previousRevision());
    assertReadyAtZeroBeforeTheFirstSplit(canary);
    assertEquals(
        List.of(
            Map.of(stable, 90, canary, 10), Map.of(stable, 50, canary, 50), Map.of(canary, 100)),
        seen);
    // ... it has all the traffic by name; the old revision is kept (retire keeps every revision),
    // active, out of the traffic, for a later rollback
    assertEquals(Map.of(canary, 100), weights());
    assertEquals(canary, platform.describe(target).revision());
    assertEquals(State.READY, platform.observe(target, canary).state());
    assertEquals(State.REVERTED, platform.observe(target, stable).state());
    assertEquals(0, revision(stable).path("properties").path("trafficWeight").asInt());
    assertTrue(recorded.calls().contains("retire " + canary), recorded.calls().toString());
    // ... and each step is a transition: its start and its result
    assertEquals(
        List.of(
            "canary step 1/3: 10 % to " + canary,
            "canary step 1/3 passed",
            "canary step 2/3: 50 % to " + canary,
            "canary step 2/3 passed",
            "canary step 3/3: 100 % to " + canary,
            "canary step 3/3 passed"),
        steps(v2.id()));
  }

  @Test
  void canary_shouldSendAllTrafficBackAtOnce_whenTheCanarysOwnUrlAnswersUnhealthy()
      throws Exception {
    // GIVEN v1 serving, and the canary's own URL (its revision's fqdn) answering 503
    RollgateApi api = api(url -> !url.startsWith("https://" + app + "--"));
    ContainerAppsEngine.push(api, "v1", Deployments.digest(1), "evt-1");
    String stable = ledger.deployments("shop", "staging", 1).get(0).revision();
    seen.clear();

    // WHEN v2 is pushed
    ContainerAppsEngine.push(api, "v2", Deployments.digest(2), "evt-2");

    // THEN it was analysed at 10 only, failed there, and was ROLLED_BACK
    Deployment v2 = ledger.deployments("shop", "staging", 1).get(0);
    String canary = v2.revision();
    assertEquals(Phase.ROLLED_BACK, v2.phase(), v2.detail());
    // (the canary was probed at 10 only; then the rollback checked the restored revision)
    assertEquals(List.of(Map.of(stable, 90, canary, 10), Map.of(stable, 100)), seen);
    List<Transition> transitions = ledger.transitions(v2.id());
    Transition failed =
        transitions.stream().filter(t -> t.to() == Phase.FAILED).findFirst().orElseThrow();
    assertTrue(failed.reason().startsWith("canary step 1/3 failed at 10 %: "), failed.reason());
    assertTrue(failed.reason().contains("503 from https://" + canary + "."), failed.reason());
    assertTrue(failed.reason().endsWith("all traffic back to revision " + stable), failed.reason());
    assertEquals(Phase.ROLLED_BACK, transitions.get(transitions.size() - 1).to());
    assertEquals(
        List.of("canary step 1/3: 10 % to " + canary, "canary step 1/3 failed"), steps(v2.id()));
    // ... the engine withdrew the share at once, then the rollback restored by name
    List<String> calls = recorded.calls();
    int back = calls.indexOf("split " + canary + " 0");
    assertTrue(back > calls.indexOf("split " + canary + " 10"), calls.toString());
    assertTrue(calls.indexOf("restore " + stable) > back, calls.toString());
    assertTrue(
        calls.stream().noneMatch(c -> c.equals("split " + canary + " 50")), calls.toString());
    // ... all traffic is on the previous revision; the canary is out of it and deactivated
    assertEquals(Map.of(stable, 100), weights());
    assertEquals(stable, platform.describe(target).revision());
    assertFalse(revision(canary).path("properties").path("active").asBoolean());
    assertEquals(State.REVERTED, platform.observe(target, canary).state());
    // ... and the digest is known-bad
    assertTrue(ledger.isKnownBad("shop", "staging", Deployments.digest(2)));
  }

  /** The engine saw the staged revision READY at weight 0 (ARM's words) before giving it any. */
  private void assertReadyAtZeroBeforeTheFirstSplit(String canary) {
    List<String> calls = recorded.calls();
    String id = ledger.deployments("shop", "staging", 1).get(0).id();
    int staged = calls.indexOf("stage " + id + " -> " + canary);
    int split = calls.indexOf("split " + canary + " 10");
    assertTrue(staged >= 0 && split > staged, calls.toString());
    List<String> between = calls.subList(staged + 1, split);
    assertFalse(between.isEmpty(), calls.toString());
    String last = between.get(between.size() - 1);
    assertTrue(last.startsWith("observe " + canary + ": READY"), calls.toString());
    assertTrue(last.contains("with 0% of the traffic"), last);
  }

  /** The deployment's canary step transitions, without their analysis details. */
  private List<String> steps(String deploymentId) {
    List<String> steps = new ArrayList<>();
    for (Transition t : ledger.transitions(deploymentId)) {
      if (t.reason().startsWith("canary step")) {
        steps.add(
            t.reason()
                .replaceAll(" \\(analysed.*", "")
                .replaceAll(" passed: .*", " passed")
                .replaceAll(" failed at .*", " failed"));
      }
    }
    return steps;
  }

  /** The app's ingress traffic as ARM answers GET, by revision name, weights above 0. */
  private Map<String, Integer> weights() {
    JsonNode traffic =
        fake.fake
            .app(ContainerAppsFakeHarness.SUBSCRIPTION, ContainerAppsFakeHarness.GROUP, app)
            .path("properties")
            .path("configuration")
            .path("ingress")
            .path("traffic");
    Map<String, Integer> w = new LinkedHashMap<>();
    traffic.forEach(
        t -> {
          if (t.path("weight").asInt() > 0) {
            w.merge(t.path("revisionName").asText(), t.path("weight").asInt(), Integer::sum);
          }
        });
    return w;
  }

  private JsonNode revision(String name) {
    return fake.fake.revision(
        ContainerAppsFakeHarness.SUBSCRIPTION, ContainerAppsFakeHarness.GROUP, app, name);
  }
}
