package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.run.v2.Revision;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.gcp.emulator.CloudRunFaults.Kind;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.FakeClock;
import dev.rollgate.testing.InMemoryLedger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults between Google's client and the Cloud Run fake: UNAVAILABLE, RESOURCE_EXHAUSTED, stale
 * etags and answers lost after the fake acted. Deployments still end as they should, with exactly
 * one revision and one job execution each.
 */
class CloudRunFaultInjectionIT {

  private static final String JOB = "shop-migrate";

  private CloudRunFakeHarness fake;
  private FakeClock clock;
  private CloudRunPlatform platform;
  private CloudRunJobRunner runner;
  private String service;
  private TargetSpec target;

  @BeforeEach
  void start() throws Exception {
    fake = new CloudRunFakeHarness();
    clock = new FakeClock();
    platform = fake.platform(clock);
    runner = fake.jobRunner(clock);
    service = CloudRunFakeHarness.fresh("flt");
    fake.createPlaceholderService(service);
    fake.createJob(JOB, List.of("migrate"));
    target = CloudRunFakeHarness.target(service, JOB);
  }

  @AfterEach
  void stop() throws Exception {
    fake.close();
  }

  @Test
  void imagePushed_shouldEndRightWithOneRevisionAndOneExecutionEach_whenAQuarterOfCallsFail()
      throws Exception {
    // GIVEN the engine over Cloud Run with job migrations, and a quarter of all calls failing
    InMemoryLedger ledger = new InMemoryLedger();
    RollgateApi api = CloudRunEngine.api(ledger, clock, platform, runner, service, JOB);
    // (seeded, and each kind once for sure: a stale etag, answers lost after acting)
    fake.faults()
        .share(0.25, Long.getLong("rollgate.test.fault-seed", 20261204L))
        .failNext("UpdateService", Kind.ETAG_CONFLICT)
        .failNext("UpdateService", Kind.LOST_ANSWER)
        .failNext("UpdateJob", Kind.LOST_ANSWER)
        .failNext("RunJob", Kind.LOST_ANSWER);

    // WHEN three good releases and then one whose revision never becomes healthy are pushed
    for (int n = 1; n <= 3; n++) {
      CloudRunEngine.push(api, "v" + n, Deployments.digest(n), "evt-" + n);
    }
    CloudRunEngine.push(api, "v4", CloudRunEngine.bad(4), "evt-4");
    fake.faults().off();

    // THEN the good ones SUCCEEDED and the bad one was ROLLED_BACK to the third
    List<Deployment> deployments = ledger.deployments("shop", "staging", 10);
    assertEquals(4, deployments.size());
    Deployment bad = deployments.get(0);
    assertEquals(Phase.ROLLED_BACK, bad.phase(), bad.detail());
    for (Deployment d : deployments.subList(1, 4)) {
      assertEquals(Phase.SUCCEEDED, d.phase(), d.id() + ": " + d.detail());
    }
    assertEquals(deployments.get(1).revision(), platform.describe(target).revision());
    // ... with one revision and one migration execution per deployment
    List<String> revisions =
        fake.revisions(service).stream().map(r -> CloudRunReading.shortName(r.getName())).toList();
    assertEquals(5, revisions.size(), "the placeholder and one per deployment: " + revisions);
    for (Deployment d : deployments) {
      assertTrue(revisions.contains(d.revision()), d.revision() + " in " + revisions);
      assertEquals(1, fake.executions(JOB, d.id()), "executions for " + d.id());
    }
    // ... while every kind of fault happened
    for (Kind kind : Kind.values()) {
      assertTrue(fake.faults().injected(kind) > 0, kind + " was never injected");
    }
  }

  @Test
  void rollOut_shouldMakeOneRevision_whenTheUpdatesAnswerIsLost() throws Exception {
    // GIVEN the answer to UpdateService gets lost after Cloud Run made the revision
    fake.faults().failNext("UpdateService", Kind.LOST_ANSWER);

    // WHEN
    String revision = platform.rollOut(target, "d-1", image(1)).id();

    // THEN the retry found the revision and made no second one
    assertEquals(1, fake.faults().injected(Kind.LOST_ANSWER));
    List<Revision> revisions = fake.revisions(service);
    assertEquals(2, revisions.size());
    assertTrue(revisions.get(1).getName().endsWith("/" + revision));
  }

  @Test
  void rollOut_shouldReadAgainAndApplyAgain_whenTheEtagIsStale() throws Exception {
    // GIVEN someone changes the service between rollgate's read and its update
    fake.faults().failNext("UpdateService", Kind.ETAG_CONFLICT);

    // WHEN
    String revision = platform.rollOut(target, "d-1", image(1)).id();

    // THEN the second attempt, on a fresh read, went through
    assertEquals(1, fake.faults().injected(Kind.ETAG_CONFLICT));
    assertEquals(2, fake.revisions(service).size());
    assertEquals(revision, platform.describe(target).revision());
  }

  @Test
  void migrate_shouldStartOneExecution_whenRunJobsAnswerIsLost() throws Exception {
    // GIVEN the answer to RunJob gets lost after the execution started
    fake.faults().failNext("RunJob", Kind.LOST_ANSWER).failNext("UpdateJob", Kind.LOST_ANSWER);

    // WHEN
    MigrationRunner.Result result =
        runner.migrate(
            MigrationSpec.job(List.of("migrate"), List.of("up"), Map.of(), null),
            new MigrationRunner.Context("shop", "staging", "d-1", image(1), null, null, target));

    // THEN one execution ran, of the release's image
    assertEquals(1, fake.executions(JOB, "d-1"));
    assertEquals(0, result.applied(), "found, not started, by the retry");
    assertEquals(
        image(1).pinned(),
        fake.clients
            .jobs()
            .getJob(CloudRunFakeHarness.PARENT + "/jobs/" + JOB)
            .getTemplate()
            .getTemplate()
            .getContainers(0)
            .getImage());
  }

  @Test
  void describe_shouldSayRetryableAndNameTheService_whenCloudRunIsUnavailable() {
    // GIVEN every call answers UNAVAILABLE
    fake.faults().share(1.0, 3L, Kind.UNAVAILABLE);

    // WHEN
    PlatformException e = assertThrows(PlatformException.class, () -> platform.describe(target));

    // THEN
    assertTrue(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().contains("'" + service + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("UNAVAILABLE"), e.getMessage());
  }

  @Test
  void describe_shouldNameTheFixAndNotRetry_whenTheServiceDoesNotExist() {
    // GIVEN
    TargetSpec missing = CloudRunFakeHarness.target("no-such-service", null);

    // WHEN
    PlatformException e = assertThrows(PlatformException.class, () -> platform.describe(missing));

    // THEN
    assertFalse(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().contains("NOT_FOUND"), e.getMessage());
    assertTrue(e.getMessage().contains("target.service"), e.getMessage());
  }

  private static ImageRef image(int n) {
    return new ImageRef("europe-docker.pkg.dev", "p/shop/shop", "v" + n, Deployments.digest(n));
  }
}
