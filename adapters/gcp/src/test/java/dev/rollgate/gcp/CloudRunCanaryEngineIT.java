package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTargetStatus;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole canary loop of the engine over the Cloud Run fake, driven by Google's own client: a
 * release that passes its steps ends serving 100 % with the canary tag gone, and one whose own URL
 * answers unhealthy is caught at the first step, all traffic back on the serving revision. The
 * shares are read from the fake's {@code traffic_statuses} while each step is analysed.
 */
class CloudRunCanaryEngineIT {

  private static final String CANARY = "{ steps: [10, 50, 100], pause: 5s }";

  private CloudRunFakeHarness fake;
  private FakeClock clock;
  private CloudRunPlatform platform;
  private RecordingPlatform recorded;
  private String service;
  private TargetSpec target;
  private InMemoryLedger ledger;

  /** The fake's traffic each time the engine probed, consecutive repeats folded. */
  private final List<Map<String, Integer>> seen = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    fake = new CloudRunFakeHarness();
    clock = new FakeClock();
    platform = fake.platform(clock);
    recorded = new RecordingPlatform(platform);
    service = CloudRunFakeHarness.fresh("cnr");
    fake.createPlaceholderService(service);
    target = CloudRunFakeHarness.target(service, null);
    ledger = new InMemoryLedger();
  }

  @AfterEach
  void stop() throws Exception {
    fake.close();
  }

  private RollgateApi api(Predicate<String> healthy) {
    ScriptedProbe probe =
        new ScriptedProbe(
            url -> {
              Map<String, Integer> now = shares(fake.service(service));
              if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) {
                seen.add(now);
              }
              return healthy.test(url);
            });
    return CloudRunEngine.canary(ledger, clock, recorded, service, CANARY, probe);
  }

  @Test
  void canary_shouldGiveTheReleaseEachStepsShareAndThenAll_whenEveryAnalysisPasses()
      throws Exception {
    // GIVEN v1 serving (all at once: nothing served before, so nothing to split)
    RollgateApi api = api(url -> true);
    CloudRunEngine.push(api, "v1", Deployments.digest(1), "evt-1");
    Deployment v1 = ledger.deployments("shop", "staging", 1).get(0);
    assertEquals(Phase.SUCCEEDED, v1.phase(), v1.detail());
    seen.clear();

    // WHEN v2 is pushed
    CloudRunEngine.push(api, "v2", Deployments.digest(2), "evt-2");

    // THEN it SUCCEEDED after the fake held 10 %, 50 %, 100 % while each step was analysed
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
    // ... it serves 100 %, by name, the canary tag dropped (the platform's retire)
    Service s = fake.service(service);
    assertEquals(Map.of(canary, 100), shares(s));
    assertEquals(List.of(CloudRunPlatform.toRevision(canary)), s.getTrafficList());
    assertTrue(s.getTrafficStatusesList().stream().allMatch(t -> t.getTag().isEmpty()));
    assertEquals(canary, platform.describe(target).revision());
    assertEquals(State.READY, platform.observe(target, canary).state());
    assertEquals(State.REVERTED, platform.observe(target, stable).state());
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
    // GIVEN v1 serving, and the canary's own URL (its tag's, canary---...) answering 503
    RollgateApi api = api(url -> !url.contains("://" + CloudRunPlatform.CANARY_TAG + "---"));
    CloudRunEngine.push(api, "v1", Deployments.digest(1), "evt-1");
    String stable = ledger.deployments("shop", "staging", 1).get(0).revision();
    seen.clear();

    // WHEN v2 is pushed
    CloudRunEngine.push(api, "v2", Deployments.digest(2), "evt-2");

    // THEN it was analysed at 10 % only, failed there, and was ROLLED_BACK
    Deployment v2 = ledger.deployments("shop", "staging", 1).get(0);
    String canary = v2.revision();
    assertEquals(Phase.ROLLED_BACK, v2.phase(), v2.detail());
    // (the canary was probed at 10 only; then the rollback checked the restored revision)
    assertEquals(List.of(Map.of(stable, 90, canary, 10), Map.of(stable, 100)), seen);
    List<Transition> transitions = ledger.transitions(v2.id());
    Transition failed =
        transitions.stream().filter(t -> t.to() == Phase.FAILED).findFirst().orElseThrow();
    assertTrue(failed.reason().startsWith("canary step 1/3 failed at 10 %: "), failed.reason());
    assertTrue(failed.reason().contains("503 from https://canary---"), failed.reason());
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
    // ... all traffic is on the previous revision, by name; the canary is out of it
    Service s = fake.service(service);
    assertEquals(Map.of(stable, 100), shares(s));
    assertEquals(List.of(CloudRunPlatform.toRevision(stable)), s.getTrafficList());
    assertEquals(stable, platform.describe(target).revision());
    assertEquals(State.REVERTED, platform.observe(target, canary).state());
    // ... and the digest is known-bad: pushing it again deploys nothing
    assertTrue(ledger.isKnownBad("shop", "staging", Deployments.digest(2)));
  }

  /** The engine saw the staged revision READY at 0 % (Cloud Run's words) before giving it any. */
  private void assertReadyAtZeroBeforeTheFirstSplit(String canary) {
    List<String> calls = recorded.calls();
    int staged =
        calls.indexOf(
            "stage " + ledger.deployments("shop", "staging", 1).get(0).id() + " -> " + canary);
    int split = calls.indexOf("split " + canary + " 10");
    assertTrue(staged >= 0 && split > staged, calls.toString());
    List<String> between = calls.subList(staged + 1, split);
    assertTrue(!between.isEmpty(), calls.toString());
    String last = between.get(between.size() - 1);
    assertTrue(last.startsWith("observe " + canary + ": READY"), calls.toString());
    assertTrue(last.contains("serves 0%"), last);
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

  /** What {@code traffic_statuses} give each revision they name with a share. */
  private static Map<String, Integer> shares(Service s) {
    Map<String, Integer> shares = new LinkedHashMap<>();
    for (TrafficTargetStatus t : s.getTrafficStatusesList()) {
      if (t.getPercent() > 0) {
        shares.merge(t.getRevision(), t.getPercent(), Integer::sum);
      }
    }
    return shares;
  }
}
