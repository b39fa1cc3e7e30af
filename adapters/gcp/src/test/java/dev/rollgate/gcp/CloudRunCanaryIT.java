package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.cloud.run.v2.UpdateServiceRequest;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform.Revision;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus.State;
import dev.rollgate.gcp.emulator.CloudRunFaults.Kind;
import dev.rollgate.testing.Deployments;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Canary traffic on Cloud Run through the port, over the Cloud Run fake driven by Google's own
 * client: a staged revision gets 0% and its own tag URL while the serving one keeps 100%; shares
 * move by revision name and read back from {@code traffic_statuses}; Cloud Run's refusals (a
 * revision it does not have, shares that do not add up to 100) reach the caller.
 */
class CloudRunCanaryIT {

  private CloudRunFakeHarness fake;
  private CloudRunPlatform platform;
  private String service;
  private TargetSpec target;
  private String stable;

  @BeforeEach
  void start() throws Exception {
    fake = new CloudRunFakeHarness();
    platform = fake.platform(Clock.system());
    service = CloudRunFakeHarness.fresh("canary");
    fake.createPlaceholderService(service);
    target = CloudRunFakeHarness.target(service, null);
    stable = platform.rollOut(target, "d-1", image(1)).id();
    awaitState(stable, State.READY);
  }

  @AfterEach
  void stop() throws Exception {
    fake.close();
  }

  @Test
  void stage_shouldKeepAllTrafficOnTheServingRevision_andGiveTheNewOneItsOwnUrl() throws Exception {
    // WHEN a release is staged
    Revision staged = platform.stage(target, "d-2", image(2));

    // THEN the serving revision keeps 100%, the new one is named for the deployment at 0%
    Service s = fake.service(service);
    assertEquals(ReleaseTemplates.revisionName(service, "d-2"), staged.id());
    assertEquals(Map.of(stable, 100, staged.id(), 0), shares(s));
    assertEquals(stable, platform.describe(target).revision());
    // ... and reachable at its tag's URL, as Cloud Run reports it
    TrafficTargetStatus tagged = status(s, staged.id());
    assertEquals("canary", tagged.getTag());
    assertEquals(s.getUri().replace("https://", "https://canary---"), tagged.getUri());
    assertEquals(tagged.getUri(), staged.url());
    RolloutStatus observed = platform.observe(target, staged.id());
    assertEquals(State.READY, observed.state(), observed.detail());
    assertTrue(observed.detail().contains("serves 0%"), observed.detail());
  }

  @Test
  void stage_shouldMakeOneRevision_whenCalledAgainForTheSameDeployment() throws Exception {
    // GIVEN a staged release
    Revision first = platform.stage(target, "d-2", image(2));
    int revisions = fake.revisions(service).size();
    long generation = fake.service(service).getGeneration();

    // WHEN the same deployment is staged again (a retry after a lost answer, a resumed run)
    Revision again = platform.stage(target, "d-2", image(2));

    // THEN the same revision, no second one, the service untouched
    assertEquals(first, again);
    assertEquals(revisions, fake.revisions(service).size());
    assertEquals(generation, fake.service(service).getGeneration());
    assertEquals(Map.of(stable, 100, first.id(), 0), shares(fake.service(service)));
  }

  @Test
  void split_shouldMoveTheSharesStepByStep_untilTheReleaseServesAll() throws Exception {
    String canary = platform.stage(target, "d-2", image(2)).id();

    for (int percent : new int[] {10, 50}) {
      // WHEN the canary's share is set
      platform.split(target, canary, stable, percent);

      // THEN Cloud Run reports both shares, and the canary READY at its share
      assertEquals(Map.of(canary, percent, stable, 100 - percent), shares(fake.service(service)));
      RolloutStatus s = platform.observe(target, canary);
      assertEquals(State.READY, s.state(), s.detail());
      assertTrue(s.detail().contains("serves " + percent + "%"), s.detail());
      assertEquals(State.READY, platform.observe(target, stable).state());
      assertEquals(stable, platform.describe(target).revision(), "what serves until the last step");
    }

    // WHEN the last step gives it everything
    platform.split(target, canary, stable, 100);
    long generation = fake.service(service).getGeneration();
    platform.split(target, canary, stable, 100);

    // THEN it serves 100% (the second call changed nothing), the stable one is out of the traffic
    Service s = fake.service(service);
    assertEquals(generation, s.getGeneration());
    assertEquals(Map.of(canary, 100), shares(s));
    assertEquals(State.READY, platform.observe(target, canary).state());
    assertEquals(State.REVERTED, platform.observe(target, stable).state());
    assertEquals(canary, platform.describe(target).revision());

    // ... and retiring after success drops the canary tag: 100% by name, nothing tagged
    platform.retire(target, canary);
    Service after = fake.service(service);
    assertEquals(List.of(CloudRunPlatform.toRevision(canary)), after.getTrafficList());
    assertTrue(after.getTrafficStatusesList().stream().allMatch(t -> t.getTag().isEmpty()));
    assertEquals(State.READY, platform.observe(target, canary).state());
  }

  @Test
  void split_shouldSendEverythingBack_whenTheShareReturnsToZero() throws Exception {
    // GIVEN a canary at 50%
    String canary = platform.stage(target, "d-2", image(2)).id();
    platform.split(target, canary, stable, 50);

    // WHEN its share goes back to 0
    platform.split(target, canary, stable, 0);

    // THEN the stable revision has all of it again; the canary stays reachable by its tag
    Service s = fake.service(service);
    assertEquals(Map.of(stable, 100, canary, 0), shares(s));
    assertFalse(status(s, canary).getUri().isEmpty());
    assertEquals(stable, platform.describe(target).revision());

    // ... and restore takes the canary out of the traffic altogether
    platform.restore(target, stable);
    assertEquals(Map.of(stable, 100), shares(fake.service(service)));
    assertEquals(State.REVERTED, platform.observe(target, canary).state());
  }

  @Test
  void split_shouldBeRefusedWithCloudRunsWords_whenTheRevisionDoesNotExist() throws Exception {
    // GIVEN a staged canary
    String canary = platform.stage(target, "d-2", image(2)).id();

    // WHEN a share is sent to a revision the service does not have
    String missing = service + "-nope";
    PlatformException e =
        assertThrows(PlatformException.class, () -> platform.split(target, missing, stable, 10));

    // THEN Cloud Run refused it for good (no retry helps), and the traffic did not move
    assertFalse(e.retryable(), e.getMessage());
    assertTrue(
        e.getMessage().contains("Revision '" + missing + "' referenced in traffic not found"),
        e.getMessage());
    assertEquals(Map.of(stable, 100, canary, 0), shares(fake.service(service)));
  }

  @Test
  void stage_shouldLeaveTheStableRevisionServing_whenTheNewOneNeverBecomesHealthy()
      throws Exception {
    // WHEN a release whose container never starts is staged
    String canary = platform.stage(target, "d-2", badImage(2)).id();

    // THEN observe says FAILED in Cloud Run's words; the stable revision serves all of it
    RolloutStatus s = platform.observe(target, canary);
    assertEquals(State.FAILED, s.state(), s.detail());
    assertTrue(s.detail().contains("HEALTH_CHECK_CONTAINER_ERROR"), s.detail());
    assertEquals(stable, platform.describe(target).revision());
    assertEquals(100, shares(fake.service(service)).get(stable));
  }

  @Test
  void updateService_shouldBeRefused_whenSharesDoNotAddUpTo100OrATagRepeats() throws Exception {
    // GIVEN a staged canary
    String canary = platform.stage(target, "d-2", image(2)).id();
    Service s = fake.service(service);

    // WHEN Google's client asks for 10% + 80%, or one tag on two targets
    List<List<TrafficTarget>> refused =
        List.of(
            List.of(
                CloudRunPlatform.share(canary, 10, "canary"),
                CloudRunPlatform.share(stable, 80, "")),
            List.of(
                CloudRunPlatform.share(canary, 10, "canary"),
                CloudRunPlatform.share(stable, 90, "canary")));
    for (List<TrafficTarget> traffic : refused) {
      Service update = s.toBuilder().clearTraffic().addAllTraffic(traffic).build();
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () ->
                  fake.clients
                      .services()
                      .updateServiceAsync(
                          UpdateServiceRequest.newBuilder().setService(update).build())
                      .get(10, TimeUnit.SECONDS));

      // THEN INVALID_ARGUMENT, and nothing changed
      assertTrue(e.getCause() instanceof InvalidArgumentException, e.toString());
      assertTrue(e.getCause().getMessage().contains("spec.traffic"), e.getCause().getMessage());
      assertEquals(Map.of(stable, 100, canary, 0), shares(fake.service(service)));
    }
  }

  @Test
  void canary_shouldMakeOneRevisionAndEndOnTheRightShares_whenUpdatesFailOrLoseTheirAnswers()
      throws Exception {
    // GIVEN UpdateService loses its answer after acting (stage), meets a stale etag and then loses
    // its answer again (10%), is unavailable once (50%)
    fake.faults()
        .failNext("UpdateService", Kind.LOST_ANSWER)
        .failNext("UpdateService", Kind.ETAG_CONFLICT)
        .failNext("UpdateService", Kind.LOST_ANSWER)
        .failNext("UpdateService", Kind.UNAVAILABLE);
    int before = fake.revisions(service).size();

    // WHEN a canary is staged and moved to 10%, then 50%
    String canary = platform.stage(target, "d-2", image(2)).id();
    platform.split(target, canary, stable, 10);
    platform.split(target, canary, stable, 50);

    // THEN one revision was made for the deployment, and the shares are the last step's
    assertEquals(before + 1, fake.revisions(service).size());
    awaitState(canary, State.READY);
    assertEquals(Map.of(canary, 50, stable, 50), shares(fake.service(service)));
    assertEquals(2, fake.faults().injected(Kind.LOST_ANSWER));
    assertEquals(1, fake.faults().injected(Kind.ETAG_CONFLICT));
    assertEquals(1, fake.faults().injected(Kind.UNAVAILABLE));
  }

  private void awaitState(String revision, State want) throws Exception {
    Instant deadline = Instant.now().plusSeconds(10);
    RolloutStatus s = platform.observe(target, revision);
    while (s.state() != want && Instant.now().isBefore(deadline)) {
      Clock.system().pause(Duration.ofMillis(20));
      s = platform.observe(target, revision);
    }
    assertEquals(want, s.state(), s.detail());
  }

  /** What {@code traffic_statuses} give each revision they name. */
  private static Map<String, Integer> shares(Service s) {
    Map<String, Integer> shares = new LinkedHashMap<>();
    for (TrafficTargetStatus t : s.getTrafficStatusesList()) {
      shares.merge(t.getRevision(), t.getPercent(), Integer::sum);
    }
    return shares;
  }

  private static TrafficTargetStatus status(Service s, String revision) {
    return s.getTrafficStatusesList().stream()
        .filter(t -> t.getRevision().equals(revision))
        .findFirst()
        .orElseThrow(() -> new AssertionError(revision + " not in " + s.getTrafficStatusesList()));
  }

  private static ImageRef image(int n) {
    return new ImageRef("europe-docker.pkg.dev", "p/shop/shop", "v" + n, Deployments.digest(n));
  }

  private static ImageRef badImage(int n) {
    return new ImageRef("europe-docker.pkg.dev", "p/shop/shop", "v" + n, CloudRunEngine.bad(n));
  }
}
