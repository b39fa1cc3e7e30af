package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.run.v2.Service;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.ServicePlatform.Change;
import dev.rollgate.testing.Deployments;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Cloud Run plan against the fake, through Google's client: it lists, field by field, what the
 * following rollout then changes on the service (read back from the fake), and sends nothing but
 * reads.
 */
class CloudRunPlanIT {

  private static final List<String> WRITES =
      List.of("CreateService", "UpdateService", "DeleteService", "DeleteRevision");

  private CloudRunFakeHarness fake;
  private CloudRunPlatform platform;

  @BeforeEach
  void start() throws Exception {
    fake = new CloudRunFakeHarness();
    platform = fake.platform(Clock.system());
  }

  @AfterEach
  void stop() throws Exception {
    fake.close();
  }

  @Test
  void plan_shouldListWhatTheRolloutThenChanges_andWriteNothing() throws Exception {
    // GIVEN a service with everything set (two containers, env, secrets, probes, scaling, VPC)
    String service = CloudRunFakeHarness.fresh("plan");
    fake.createService(service, CloudRunPreservationIT.everything());
    Map<String, String> p = new HashMap<>(CloudRunFakeHarness.target(service, null).properties());
    p.put("container", "app");
    TargetSpec target = new TargetSpec("cloudrun", p, "apps[0].environments.staging.target");
    // ... that a first release serves
    String r1 = platform.rollOut(target, "d-1", image(1)).id();
    Service before = fake.service(service);
    Map<String, Integer> writes = writes();
    int revisions = fake.revisions(service).size();

    // WHEN the second release is planned
    List<Change> plan = platform.plan(target, image(2));

    // THEN nothing was written: no update, no revision, the service as it was
    assertEquals(writes, writes());
    assertEquals(before, fake.service(service));
    assertEquals(revisions, fake.revisions(service).size());
    // ... and it names the image, the revision and the traffic, from what serves now
    assertEquals(
        List.of(
            new Change("template.revision", r1, service + "-{deployment}"),
            new Change("template.containers[0].image", image(1).pinned(), image(2).pinned()),
            new Change("traffic[0].revision", r1, service + "-{deployment}")),
        plan);

    // WHEN the release rolls out
    platform.rollOut(target, "d-2", image(2));

    // THEN what changed on the service, read back from the fake, is the plan with the deployment
    List<Change> applied = CloudRunPlans.between(before, fake.service(service));
    assertEquals(withDeployment(plan, "d-2"), applied);
  }

  @Test
  void plan_shouldListThePlaceholderLabelAndTheTraffic_whenNothingOfRollgatesServes()
      throws Exception {
    // GIVEN a service as infra/gcp creates it: a labelled placeholder, traffic to LATEST
    String service = CloudRunFakeHarness.fresh("first");
    fake.createPlaceholderService(service);
    TargetSpec target = CloudRunFakeHarness.target(service, null);
    Service before = fake.service(service);

    // WHEN the first release is planned, then rolled out
    List<Change> plan = platform.plan(target, image(1));
    platform.rollOut(target, "d-1", image(1));

    // THEN the plan named the dropped label and the traffic pinned by name, as the rollout did
    List<String> fields = plan.stream().map(Change::field).toList();
    assertEquals(true, fields.contains("template.labels[rollgate-placeholder]"), fields.toString());
    assertEquals(true, fields.contains("traffic[0].type"), fields.toString());
    assertEquals(withDeployment(plan, "d-1"), CloudRunPlans.between(before, fake.service(service)));
  }

  private Map<String, Integer> writes() {
    Map<String, Integer> n = new HashMap<>();
    WRITES.forEach(w -> n.put(w, fake.faults().calls(w)));
    return n;
  }

  private static List<Change> withDeployment(List<Change> plan, String id) {
    return plan.stream()
        .map(
            c ->
                new Change(
                    c.field(),
                    c.from(),
                    c.to() == null ? null : c.to().replace(CloudRunPlans.DEPLOYMENT, id)))
        .toList();
  }

  private static ImageRef image(int n) {
    return new ImageRef("europe-docker.pkg.dev", "p/shop/shop", "v" + n, Deployments.digest(n));
  }
}
