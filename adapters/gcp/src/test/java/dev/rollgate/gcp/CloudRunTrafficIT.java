package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.cloud.run.v2.UpdateServiceRequest;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus.State;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.FakeClock;
import dev.rollgate.testing.InMemoryLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traffic on Cloud Run: pinned traffic stays pinned across updates that set none (the trap that
 * leaves gcloud users' new revisions at 0%), rollgate's release serves 100% regardless, and a
 * revision that never becomes healthy leaves the previous one serving while the engine ends FAILED
 * and then ROLLED_BACK, never SUCCEEDED.
 */
class CloudRunTrafficIT {

  private CloudRunFakeHarness fake;
  private CloudRunPlatform platform;
  private String service;
  private TargetSpec target;

  @BeforeEach
  void start() throws Exception {
    fake = new CloudRunFakeHarness();
    platform = fake.platform(dev.rollgate.core.port.Clock.system());
    service = CloudRunFakeHarness.fresh("trap");
    fake.createPlaceholderService(service);
    target = CloudRunFakeHarness.target(service, null);
  }

  @AfterEach
  void stop() throws Exception {
    fake.close();
  }

  @Test
  void update_shouldLeaveTrafficPinned_whenAnUpdateSetsNoTraffic() throws Exception {
    // GIVEN traffic pinned to the first release by a rollback
    String r1 = platform.rollOut(target, "d-1", image(1)).id();
    platform.rollOut(target, "d-2", image(2));
    platform.restore(target, r1);

    // WHEN a naive client deploys a new image without setting traffic (as gcloud deploy does)
    Service s = fake.service(service);
    Service naive =
        s.toBuilder()
            .setTemplate(
                s.getTemplate().toBuilder()
                    .clearRevision()
                    .setContainers(
                        0,
                        s.getTemplate().getContainers(0).toBuilder().setImage(image(3).pinned())))
            .clearTraffic()
            .build();
    fake.clients
        .services()
        .updateServiceAsync(UpdateServiceRequest.newBuilder().setService(naive).build())
        .get(10, TimeUnit.SECONDS);

    // THEN the new revision exists and is ready, but gets 0%: the first still serves
    Service after = fake.service(service);
    assertTrue(
        after.getLatestCreatedRevision().matches(".*/revisions/" + service + "-00005-[a-z]{3}"),
        "named <service>-<5 digits>-<3 letters>: " + after.getLatestCreatedRevision());
    assertEquals(after.getLatestCreatedRevision(), after.getLatestReadyRevision());
    assertEquals(List.of(r1), servingRevisions(after));
  }

  @Test
  void rollOut_shouldServeTheRelease_whenARollbackPinnedTrafficBefore() throws Exception {
    // GIVEN traffic pinned to the first release by a rollback
    String r1 = platform.rollOut(target, "d-1", image(1)).id();
    platform.rollOut(target, "d-2", image(2));
    platform.restore(target, r1);

    // WHEN the next good release rolls out
    String r3 = platform.rollOut(target, "d-3", image(3)).id();

    // THEN it serves 100%, by name
    RolloutStatus status = platform.observe(target, r3);
    assertEquals(State.READY, status.state(), status.detail());
    Service after = fake.service(service);
    assertEquals(List.of(r3), servingRevisions(after));
    assertEquals(100, after.getTrafficStatuses(0).getPercent());
    assertEquals(r3, platform.describe(target).revision());
  }

  @Test
  void imagePushed_shouldEndFailedThenRolledBack_whenTheRevisionNeverBecomesHealthy()
      throws Exception {
    // GIVEN the engine over Cloud Run, a good release serving
    InMemoryLedger ledger = new InMemoryLedger();
    RollgateApi api = CloudRunEngine.api(ledger, new FakeClock(), platform, null, service, null);
    CloudRunEngine.push(api, "v1", Deployments.digest(1), "evt-1");
    Deployment good = ledger.deployments("shop", "staging", 10).get(0);
    assertEquals(Phase.SUCCEEDED, good.phase(), good.detail());

    // WHEN a release whose container never becomes healthy is pushed
    CloudRunEngine.push(api, "v2", CloudRunEngine.bad(2), "evt-2");

    // THEN it failed with Cloud Run's words, then was rolled back; the first serves throughout
    Deployment bad = ledger.deployments("shop", "staging", 10).get(0);
    assertEquals(Phase.ROLLED_BACK, bad.phase(), bad.detail());
    List<Phase> phases = ledger.transitions(bad.id()).stream().map(Transition::to).toList();
    assertTrue(phases.contains(Phase.FAILED), phases.toString());
    assertTrue(!phases.contains(Phase.SUCCEEDED), phases.toString());
    String failed =
        ledger.transitions(bad.id()).stream()
            .filter(t -> t.to() == Phase.FAILED)
            .findFirst()
            .orElseThrow()
            .reason();
    assertTrue(failed.contains("HEALTH_CHECK_CONTAINER_ERROR"), failed);
    assertTrue(failed.contains("failed to start and listen on the port"), failed);
    Service after = fake.service(service);
    assertEquals(List.of(good.revision()), servingRevisions(after));
    assertEquals(after.getGeneration(), after.getObservedGeneration());
    Revision badRevision =
        fake.clients.revisions().getRevision(after.getName() + "/revisions/" + bad.revision());
    Condition ready = badRevision.getConditions(0);
    assertEquals(Condition.State.CONDITION_FAILED, ready.getState());
    assertEquals(Condition.RevisionReason.HEALTH_CHECK_CONTAINER_ERROR, ready.getRevisionReason());

    // ... and the next good release serves 100% again, though the rollback pinned traffic
    CloudRunEngine.push(api, "v3", Deployments.digest(3), "evt-3");
    Deployment next = ledger.deployments("shop", "staging", 10).get(0);
    assertEquals(Phase.SUCCEEDED, next.phase(), next.detail());
    assertEquals(List.of(next.revision()), servingRevisions(fake.service(service)));
  }

  @Test
  void observe_shouldKeepTheLastServingRevision_whileAFailedRolloutsOperationEnds()
      throws Exception {
    // GIVEN a serving release
    String r1 = platform.rollOut(target, "d-1", image(1)).id();
    long served = fake.service(service).getObservedGeneration();

    // WHEN a release that never becomes healthy rolls out (the operation ends with code 9)
    String r2 = platform.rollOut(target, "d-2", badImage(2)).id();

    // THEN Cloud Run's status stays on the first; observe says FAILED in Cloud Run's words
    Service s = fake.service(service);
    assertEquals(served, s.getObservedGeneration());
    assertTrue(s.getGeneration() > served);
    assertTrue(s.getLatestReadyRevision().endsWith("/" + r1), s.getLatestReadyRevision());
    assertTrue(s.getLatestCreatedRevision().endsWith("/" + r2), s.getLatestCreatedRevision());
    assertEquals(List.of(r1), servingRevisions(s));
    RolloutStatus status = platform.observe(target, r2);
    assertEquals(State.FAILED, status.state(), status.detail());
    assertTrue(
        status.detail().contains("revisionReason HEALTH_CHECK_CONTAINER_ERROR"), status.detail());
    assertTrue(status.detail().contains("PORT=8080"), status.detail());
    // ... and restoring the first brings the status back in line
    platform.restore(target, r1);
    awaitReady(r1);
    assertEquals(r1, platform.describe(target).revision());
  }

  private void awaitReady(String revision) throws Exception {
    Instant deadline = Instant.now().plusSeconds(10);
    RolloutStatus s = platform.observe(target, revision);
    while (s.state() != State.READY && Instant.now().isBefore(deadline)) {
      dev.rollgate.core.port.Clock.system().pause(Duration.ofMillis(20));
      s = platform.observe(target, revision);
    }
    assertEquals(State.READY, s.state(), s.detail());
  }

  private static List<String> servingRevisions(Service s) {
    return s.getTrafficStatusesList().stream()
        .filter(t -> t.getPercent() > 0)
        .map(TrafficTargetStatus::getRevision)
        .toList();
  }

  private static ImageRef image(int n) {
    return new ImageRef("europe-docker.pkg.dev", "p/shop/shop", "v" + n, Deployments.digest(n));
  }

  private static ImageRef badImage(int n) {
    return new ImageRef("europe-docker.pkg.dev", "p/shop/shop", "v" + n, CloudRunEngine.bad(n));
  }
}
