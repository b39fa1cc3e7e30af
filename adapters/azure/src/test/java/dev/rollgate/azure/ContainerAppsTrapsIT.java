package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus.State;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.FakeClock;
import dev.rollgate.testing.InMemoryLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failures teams on Container Apps report, each made impossible: the app's provisioningState
 * Succeeded while the new revision's container crashes; Single revision mode; the same image
 * deployed again making no revision; a revision stuck in Provisioning.
 */
class ContainerAppsTrapsIT {

  private ContainerAppsFakeHarness fake;
  private FakeClock clock;
  private ContainerAppsPlatform platform;
  private String app;
  private TargetSpec target;

  @BeforeEach
  void start() throws Exception {
    fake = new ContainerAppsFakeHarness();
    fake.fake.provisionDelay(Duration.ZERO);
    clock = new FakeClock(Instant.now());
    platform = fake.platform(clock);
    app = ContainerAppsFakeHarness.fresh("trap");
    target = ContainerAppsFakeHarness.target(app, null);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void imagePushed_shouldEndFailedThenRolledBack_whenTheAppSucceedsWhileTheRevisionCrashes()
      throws Exception {
    // GIVEN the engine over Container Apps, a good release serving
    fake.createPlaceholderApp(app, "Multiple");
    InMemoryLedger ledger = new InMemoryLedger();
    RollgateApi api = ContainerAppsEngine.api(ledger, clock, platform, null, app, null);
    ContainerAppsEngine.push(api, "v1", Deployments.digest(1), "evt-1");
    Deployment good = ledger.deployments("shop", "staging", 10).get(0);
    assertEquals(Phase.SUCCEEDED, good.phase(), good.detail());

    // WHEN a release whose container crashes is pushed
    ContainerAppsEngine.push(api, "v2", ContainerAppsEngine.bad(2), "evt-2");

    // THEN ARM said Succeeded for the app ...
    JsonNode after =
        fake.fake.app(ContainerAppsFakeHarness.SUBSCRIPTION, ContainerAppsFakeHarness.GROUP, app);
    assertEquals("Succeeded", after.path("properties").path("provisioningState").asText());
    // ... yet the release FAILED with the revision's own words, then was ROLLED_BACK, never
    // SUCCEEDED
    Deployment bad = ledger.deployments("shop", "staging", 10).get(0);
    assertEquals(Phase.ROLLED_BACK, bad.phase(), bad.detail());
    List<Phase> phases = ledger.transitions(bad.id()).stream().map(Transition::to).toList();
    assertTrue(phases.contains(Phase.FAILED), phases.toString());
    assertFalse(phases.contains(Phase.SUCCEEDED), phases.toString());
    String failed =
        ledger.transitions(bad.id()).stream()
            .filter(t -> t.to() == Phase.FAILED)
            .findFirst()
            .orElseThrow()
            .reason();
    assertTrue(failed.contains("healthState Unhealthy"), failed);
    assertTrue(failed.contains("CrashLoopBackOff"), failed);
    // ... and the traffic is back on the good revision, by name, the bad one deactivated
    JsonNode traffic =
        after.path("properties").path("configuration").path("ingress").path("traffic");
    assertEquals(1, traffic.size(), traffic.toString());
    assertEquals(good.revision(), traffic.get(0).path("revisionName").asText());
    assertEquals(100, traffic.get(0).path("weight").asInt());
    JsonNode badRevision =
        fake.fake.revision(
            ContainerAppsFakeHarness.SUBSCRIPTION,
            ContainerAppsFakeHarness.GROUP,
            app,
            bad.revision());
    assertFalse(badRevision.path("properties").path("active").asBoolean(), badRevision.toString());
    assertEquals(good.revision(), platform.describe(target).revision());
  }

  @Test
  void rollOut_shouldRefuseNamingTheFix_whenTheAppIsInSingleRevisionMode() {
    // GIVEN an app in Single revision mode (ARM's default)
    fake.createPlaceholderApp(app, "Single");

    // WHEN
    PlatformException e =
        assertThrows(PlatformException.class, () -> platform.rollOut(target, "d-1", image(1)));

    // THEN no retry, the fix named, and nothing changed
    assertFalse(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().contains("Single revision mode"), e.getMessage());
    assertTrue(
        e.getMessage().contains("az containerapp revision set-mode --name " + app), e.getMessage());
    assertTrue(e.getMessage().contains("revision_mode = \"Multiple\""), e.getMessage());
    assertEquals(1, fake.revisions(app).size());
  }

  @Test
  void rollOut_shouldMakeANewRevision_whenTheSameImageIsDeployedAgain() throws Exception {
    // GIVEN an image deployed once
    fake.createPlaceholderApp(app, "Multiple");
    String first = platform.rollOut(target, "d-1", image(1)).id();

    // WHEN the same image is deployed again by another deployment
    String second = platform.rollOut(target, "d-2", image(1)).id();

    // THEN a revision of its own serves it
    assertTrue(!first.equals(second), first + " vs " + second);
    assertEquals(
        List.of(app + "--" + first.substring(app.length() + 2), second),
        fake.revisions(app).subList(1, 3));
    assertEquals(second, platform.describe(target).revision());
    assertEquals(State.READY, platform.observe(target, second).state());
  }

  @Test
  void observe_shouldFailWithTheRevisionsState_whenProvisioningOutlastsTheDeadline()
      throws Exception {
    // GIVEN a revision that stays Provisioning
    fake.createPlaceholderApp(app, "Multiple");
    fake.fake.hangProvisioning(true);
    String revision = platform.rollOut(target, "d-1", image(1)).id();
    RolloutStatus early = platform.observe(target, revision);
    assertEquals(State.IN_PROGRESS, early.state(), early.detail());

    // WHEN the deadline (rollgate.azure.revision-timeout: 2 minutes here) passes, counted from the
    // revision's createdTime (the test clock started before the rollout's real seconds)
    clock.advance(Duration.ofMinutes(3));
    RolloutStatus late = platform.observe(target, revision);

    // THEN it failed with the revision's own states
    assertEquals(State.FAILED, late.state(), late.detail());
    assertTrue(late.detail().contains("provisioningState Provisioning"), late.detail());
    assertTrue(late.detail().contains("runningState Activating"), late.detail());
    assertTrue(late.detail().contains("rollgate.azure.revision-timeout"), late.detail());
  }

  private static ImageRef image(int n) {
    return new ImageRef("shopacr.azurecr.io", "shop", "v" + n, Deployments.digest(n));
  }
}
