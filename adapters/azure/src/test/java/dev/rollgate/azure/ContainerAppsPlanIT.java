package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.resourcemanager.appcontainers.fluent.models.ContainerAppInner;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform.Change;
import dev.rollgate.testing.Deployments;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Container Apps plan against the ARM fake, driven by Azure's SDK: it lists, field by field, what
 * the following rollout then changes on the app (read back from ARM), and sends nothing but reads.
 */
class ContainerAppsPlanIT {

  private static final String SUB = ContainerAppsFakeHarness.SUBSCRIPTION;
  private static final String GROUP = ContainerAppsFakeHarness.GROUP;
  private static final List<String> WRITES =
      List.of(
          "ContainerApps_CreateOrUpdate",
          "ContainerApps_Update",
          "ContainerAppsRevisions_ActivateRevision",
          "ContainerAppsRevisions_DeactivateRevision");

  private ContainerAppsFakeHarness fake;
  private ContainerAppsPlatform platform;
  private String app;
  private TargetSpec target;

  @BeforeEach
  void start() throws Exception {
    fake = new ContainerAppsFakeHarness();
    platform = fake.platform(Clock.system());
    app = ContainerAppsFakeHarness.fresh("plan");
    fake.createApp(app, ContainerAppsPreservationIT.richApp());
    Map<String, String> settings =
        new HashMap<>(ContainerAppsFakeHarness.target(app, null).properties());
    settings.put("container", "shop");
    target =
        new TargetSpec(ContainerAppsPlatform.NAME, settings, "apps[0].environments.prod.target");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void plan_shouldListWhatTheRolloutThenChanges_andWriteNothing() throws Exception {
    // GIVEN a rich app (two containers, env, secrets, probes, scale rules) a first release serves
    platform.rollOut(target, "d-1", image(1));
    ContainerAppsTarget t = ContainerAppsTarget.of(target, SUB);
    ContainerAppInner before = fake.api.app(t);
    JsonNode stored = fake.fake.stored(SUB, GROUP, app);
    Map<String, Integer> writes = writes();
    int revisions = fake.revisions(app).size();

    // WHEN the second release is planned
    List<Change> plan = platform.plan(target, image(2));

    // THEN nothing was written: no PATCH, no PUT, no revision (de)activated, the app as it was
    assertEquals(writes, writes());
    assertEquals(stored, fake.fake.stored(SUB, GROUP, app));
    assertEquals(revisions, fake.revisions(app).size());
    // ... and it names the image, the revision suffix and the traffic, from what serves now
    String d1 = app + "--" + RevisionSuffixes.suffix(app, "d-1");
    assertEquals(
        List.of(
            new Change("template.revisionSuffix", "rg-d-1", "rg-{deployment}"),
            new Change("template.containers[0].image", image(1).pinned(), image(2).pinned()),
            new Change(
                "configuration.ingress.traffic[0].revisionName", d1, app + "--rg-{deployment}")),
        plan);

    // WHEN the release rolls out
    platform.rollOut(target, "d-2", image(2));

    // THEN what changed on the app, read back from ARM, is the plan with the deployment's id
    List<Change> applied = ContainerAppsPlans.between(before, fake.api.app(t));
    assertEquals(withDeployment(plan, "d-2"), applied);
  }

  @Test
  void plan_shouldRefuseAsTheRolloutWould_whenTheAppIsInSingleRevisionMode() {
    // GIVEN an app in Single revision mode
    String single = ContainerAppsFakeHarness.fresh("single");
    fake.createPlaceholderApp(single, "Single");

    // WHEN it is planned
    PlatformException e =
        assertThrows(
            PlatformException.class,
            () -> platform.plan(ContainerAppsFakeHarness.target(single, null), image(1)));

    // THEN the plan says what the rollout would: switch to Multiple
    assertTrue(e.getMessage().contains("switch it to Multiple"), e.getMessage());
  }

  private Map<String, Integer> writes() {
    Map<String, Integer> n = new HashMap<>();
    WRITES.forEach(w -> n.put(w, fake.fake.calls(w)));
    return n;
  }

  static List<Change> withDeployment(List<Change> plan, String id) {
    return plan.stream()
        .map(
            c ->
                new Change(
                    c.field(),
                    c.from(),
                    c.to() == null ? null : c.to().replace(ContainerAppsPlans.DEPLOYMENT, id)))
        .toList();
  }

  private static ImageRef image(int n) {
    return new ImageRef("shopacr.azurecr.io", "shop", "v" + n, Deployments.digest(n));
  }
}
