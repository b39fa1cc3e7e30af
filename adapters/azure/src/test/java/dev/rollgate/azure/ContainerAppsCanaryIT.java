package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.appcontainers.fluent.models.ContainerAppInner;
import com.azure.resourcemanager.appcontainers.models.Configuration;
import com.azure.resourcemanager.appcontainers.models.Ingress;
import com.azure.resourcemanager.appcontainers.models.TrafficWeight;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.azure.emulator.ArmFaults.Kind;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform.Revision;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus.State;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Canary traffic on Container Apps through the port, over the ARM fake driven by Azure's own SDK: a
 * staged revision gets weight 0 and is reachable at its own fqdn while the serving one keeps 100;
 * weights move by revision name and read back from the app and the revisions; ARM's refusals (a
 * revision the app does not have, weights that do not add up to 100) reach the caller.
 */
class ContainerAppsCanaryIT {

  private ContainerAppsFakeHarness fake;
  private ContainerAppsPlatform platform;
  private String app;
  private TargetSpec target;
  private String stable;

  @BeforeEach
  void start() throws Exception {
    fake = new ContainerAppsFakeHarness();
    fake.fake.provisionDelay(Duration.ZERO);
    platform = fake.platform(new FakeClock(Instant.now()));
    app = ContainerAppsFakeHarness.fresh("canary");
    target = ContainerAppsFakeHarness.target(app, null);
    fake.createPlaceholderApp(app, "Multiple");
    stable = platform.rollOut(target, "d-1", image(1)).id();
    assertEquals(State.READY, platform.observe(target, stable).state());
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void stage_shouldKeepAllTrafficOnTheServingRevision_andGiveTheNewOneItsOwnUrl() throws Exception {
    // WHEN a release is staged
    Revision staged = platform.stage(target, "d-2", image(2));

    // THEN the serving revision keeps 100, the new one is named for the deployment at 0
    assertEquals(RevisionSuffixes.revisionName(app, "d-2"), staged.id());
    assertEquals(Map.of(stable, 100, staged.id(), 0), weights());
    assertEquals(stable, platform.describe(target).revision());
    // ... active, and reachable at the revision's own fqdn, as ARM reports it
    JsonNode revision = revision(staged.id());
    assertTrue(revision.path("properties").path("active").asBoolean(), revision.toString());
    assertEquals(0, revision.path("properties").path("trafficWeight").asInt());
    assertEquals("https://" + revision.path("properties").path("fqdn").asText(), staged.url());
    assertTrue(staged.url().startsWith("https://" + staged.id() + "."), staged.url());
    RolloutStatus observed = platform.observe(target, staged.id());
    assertEquals(State.READY, observed.state(), observed.detail());
    assertTrue(observed.detail().contains("with 0% of the traffic"), observed.detail());
  }

  @Test
  void stage_shouldMakeOneRevision_whenCalledAgainForTheSameDeployment() throws Exception {
    // GIVEN a staged release
    Revision first = platform.stage(target, "d-2", image(2));
    List<String> revisions = fake.revisions(app);

    // WHEN the same deployment is staged again (a retry after a lost answer, a resumed run)
    Revision again = platform.stage(target, "d-2", image(2));

    // THEN the same revision, no second one, the traffic as it was
    assertEquals(first, again);
    assertEquals(revisions, fake.revisions(app));
    assertEquals(Map.of(stable, 100, first.id(), 0), weights());
  }

  @Test
  void split_shouldMoveTheWeightsStepByStep_untilTheReleaseServesAll() throws Exception {
    String canary = platform.stage(target, "d-2", image(2)).id();

    for (int percent : new int[] {10, 50}) {
      // WHEN the canary's weight is set
      platform.split(target, canary, stable, percent);

      // THEN the app and the revisions read both weights, and the canary is READY at its share
      assertEquals(Map.of(canary, percent, stable, 100 - percent), weights());
      assertEquals(percent, revision(canary).path("properties").path("trafficWeight").asInt());
      RolloutStatus s = platform.observe(target, canary);
      assertEquals(State.READY, s.state(), s.detail());
      assertTrue(s.detail().contains("with " + percent + "% of the traffic"), s.detail());
      assertEquals(State.READY, platform.observe(target, stable).state());
      assertEquals(stable, platform.describe(target).revision(), "what serves until the last step");
    }

    // WHEN the last step gives it everything, twice
    platform.split(target, canary, stable, 100);
    int patches = fake.fake.calls("ContainerApps_Update");
    platform.split(target, canary, stable, 100);

    // THEN it serves all of it (the second call sent nothing); the stable one is out of the
    // traffic, still active for a later rollback
    assertEquals(patches, fake.fake.calls("ContainerApps_Update"));
    assertEquals(Map.of(canary, 100), weights());
    assertEquals(State.READY, platform.observe(target, canary).state());
    assertEquals(State.REVERTED, platform.observe(target, stable).state());
    assertEquals(canary, platform.describe(target).revision());
    platform.retire(target, canary);
    assertTrue(revision(stable).path("properties").path("active").asBoolean());
  }

  @Test
  void split_shouldSendEverythingBack_whenTheWeightReturnsToZero() throws Exception {
    // GIVEN a canary at 50
    String canary = platform.stage(target, "d-2", image(2)).id();
    platform.split(target, canary, stable, 50);

    // WHEN its weight goes back to 0
    platform.split(target, canary, stable, 0);

    // THEN the stable revision has all of it again
    assertEquals(Map.of(canary, 0, stable, 100), weights());
    assertEquals(stable, platform.describe(target).revision());

    // ... and restore takes the canary out of the traffic and deactivates it
    platform.restore(target, stable);
    assertEquals(Map.of(stable, 100), weights());
    assertFalse(revision(canary).path("properties").path("active").asBoolean());
    assertEquals(State.REVERTED, platform.observe(target, canary).state());
  }

  @Test
  void split_shouldBeRefusedWithArmsError_whenTheRevisionDoesNotExist() throws Exception {
    // GIVEN a staged canary
    String canary = platform.stage(target, "d-2", image(2)).id();

    // WHEN a weight is sent to a revision the app does not have
    String missing = app + "--rg-nope";
    PlatformException e =
        assertThrows(PlatformException.class, () -> platform.split(target, missing, stable, 10));

    // THEN ARM refused it for good, in its own words, and the traffic did not move
    assertFalse(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().contains("ContainerAppInvalidTrafficWeight"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + missing + "'"), e.getMessage());
    assertEquals(Map.of(stable, 100, canary, 0), weights());
  }

  @Test
  void stage_shouldLeaveTheStableRevisionServing_whenTheNewOneCrashes() throws Exception {
    // WHEN a release whose container crashes is staged
    String canary =
        platform
            .stage(
                target,
                "d-2",
                new ImageRef("shopacr.azurecr.io", "shop", "v2", ContainerAppsEngine.bad(2)))
            .id();

    // THEN observe says FAILED with the revision's own states; the stable one serves all of it
    RolloutStatus s = platform.observe(target, canary);
    assertEquals(State.FAILED, s.state(), s.detail());
    assertTrue(s.detail().contains("healthState Unhealthy"), s.detail());
    assertEquals(stable, platform.describe(target).revision());
    assertEquals(100, weights().get(stable));
  }

  @Test
  void update_shouldBeRefused_whenWeightsDoNotAddUpTo100() throws Exception {
    // GIVEN a staged canary
    String canary = platform.stage(target, "d-2", image(2)).id();

    // WHEN Azure's SDK asks for 10 + 80
    ContainerAppInner read =
        fake.clients
            .containerApps(ContainerAppsFakeHarness.SUBSCRIPTION)
            .getContainerApps()
            .getByResourceGroup(ContainerAppsFakeHarness.GROUP, app);
    Ingress ingress =
        read.configuration()
            .ingress()
            .withTraffic(
                List.of(
                    new TrafficWeight().withRevisionName(canary).withWeight(10),
                    new TrafficWeight().withRevisionName(stable).withWeight(80)));
    ContainerAppInner patch =
        new ContainerAppInner().withConfiguration(new Configuration().withIngress(ingress));
    patch.withLocation(read.location());
    ManagementException e =
        assertThrows(
            ManagementException.class,
            () ->
                fake.clients
                    .containerApps(ContainerAppsFakeHarness.SUBSCRIPTION)
                    .getContainerApps()
                    .update(ContainerAppsFakeHarness.GROUP, app, patch));

    // THEN 400 with ARM's error code, and nothing changed
    assertEquals(400, e.getResponse().getStatusCode());
    assertEquals("ContainerAppInvalidTrafficWeight", e.getValue().getCode());
    assertEquals(Map.of(stable, 100, canary, 0), weights());
  }

  @Test
  void canary_shouldMakeOneRevisionAndEndOnTheRightWeights_whenPatchesFailOrLoseTheirAnswers()
      throws Exception {
    // GIVEN the PATCH loses its answer after ARM acted (stage), meets another operation running
    // (409) and then loses its answer again (10), is throttled once (50)
    fake.fake
        .faults()
        .failNext("ContainerApps_Update", Kind.LOST_ANSWER)
        .failNext("ContainerApps_Update", Kind.CONFLICT)
        .failNext("ContainerApps_Update", Kind.LOST_ANSWER)
        .failNext("ContainerApps_Update", Kind.THROTTLED);
    int before = fake.revisions(app).size();

    // WHEN a canary is staged and moved to 10, then 50
    String canary = platform.stage(target, "d-2", image(2)).id();
    platform.split(target, canary, stable, 10);
    platform.split(target, canary, stable, 50);

    // THEN one revision was made for the deployment, and the weights are the last step's
    assertEquals(before + 1, fake.revisions(app).size());
    assertEquals(Map.of(canary, 50, stable, 50), weights());
    assertEquals(State.READY, platform.observe(target, canary).state());
    assertEquals(2, fake.fake.faults().injected(Kind.LOST_ANSWER));
    assertEquals(1, fake.fake.faults().injected(Kind.CONFLICT));
    assertEquals(1, fake.fake.faults().injected(Kind.THROTTLED));
  }

  /** The app's ingress traffic as ARM answers GET, by revision name. */
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
        t -> w.merge(t.path("revisionName").asText(), t.path("weight").asInt(), Integer::sum));
    return w;
  }

  private JsonNode revision(String name) {
    return fake.fake.revision(
        ContainerAppsFakeHarness.SUBSCRIPTION, ContainerAppsFakeHarness.GROUP, app, name);
  }

  private static ImageRef image(int n) {
    return new ImageRef("shopacr.azurecr.io", "shop", "v" + n, Deployments.digest(n));
  }
}
