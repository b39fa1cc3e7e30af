package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.azure.emulator.ArmFaults.Kind;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.FakeClock;
import dev.rollgate.testing.InMemoryLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults between Azure's SDK and the ARM fake: 429 with Retry-After, 500, 503, 409 conflicts and
 * answers lost after the fake acted. Deployments still end as they should, with exactly one
 * revision and one job execution each.
 */
class ContainerAppsFaultInjectionIT {

  private static final String JOB = "shop-migrate";

  private ContainerAppsFakeHarness fake;
  private FakeClock clock;
  private ContainerAppsPlatform platform;
  private ContainerAppsJobRunner runner;
  private String app;
  private TargetSpec target;

  @BeforeEach
  void start() throws Exception {
    fake = new ContainerAppsFakeHarness();
    fake.fake.provisionDelay(Duration.ZERO);
    clock = new FakeClock(Instant.now());
    platform = fake.platform(clock);
    runner = fake.jobRunner(clock);
    app = ContainerAppsFakeHarness.fresh("flt");
    fake.createPlaceholderApp(app, "Multiple");
    fake.createJob(JOB, List.of("alembic"));
    target = ContainerAppsFakeHarness.target(app, JOB);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void imagePushed_shouldEndRightWithOneRevisionAndOneExecutionEach_whenAShareOfCallsFail()
      throws Exception {
    // GIVEN the engine over Container Apps with job migrations, and a share of all calls failing
    InMemoryLedger ledger = new InMemoryLedger();
    RollgateApi api = ContainerAppsEngine.api(ledger, clock, platform, runner, app, JOB);
    // (seeded, and each kind once for sure)
    fake.fake
        .faults()
        .share(0.15, Long.getLong("rollgate.test.fault-seed", 20261204L))
        .failNext("ContainerApps_Update", Kind.CONFLICT)
        .failNext("ContainerApps_Update", Kind.LOST_ANSWER)
        .failNext("Jobs_Start", Kind.LOST_ANSWER)
        .failNext("ContainerApps_Get", Kind.THROTTLED)
        .failNext("ContainerAppsRevisions_GetRevision", Kind.SERVER_ERROR)
        .failNext("JobExecution", Kind.UNAVAILABLE);

    // WHEN three good releases and then one whose container crashes are pushed
    for (int n = 1; n <= 3; n++) {
      ContainerAppsEngine.push(api, "v" + n, Deployments.digest(n), "evt-" + n);
    }
    ContainerAppsEngine.push(api, "v4", ContainerAppsEngine.bad(4), "evt-4");
    fake.fake.faults().off();

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
    List<String> revisions = fake.revisions(app);
    assertEquals(5, revisions.size(), "the placeholder and one per deployment: " + revisions);
    for (Deployment d : deployments) {
      assertTrue(revisions.contains(d.revision()), d.revision() + " in " + revisions);
      assertEquals(1, fake.executions(JOB, d.id()), "executions for " + d.id());
    }
    // ... while every kind of fault happened
    for (Kind kind : Kind.values()) {
      assertTrue(fake.fake.faults().injected(kind) > 0, kind + " was never injected");
    }
  }

  @Test
  void rollOut_shouldMakeOneRevision_whenTheUpdatesAnswerIsLost() throws Exception {
    // GIVEN the answer to the PATCH gets lost after ARM made the revision
    fake.fake.faults().failNext("ContainerApps_Update", Kind.LOST_ANSWER);

    // WHEN
    String revision = platform.rollOut(target, "d-1", image(1)).id();

    // THEN the retry found the revision and made no second one
    assertEquals(1, fake.fake.faults().injected(Kind.LOST_ANSWER));
    assertEquals(1, fake.fake.calls("ContainerApps_Update"));
    List<String> revisions = fake.revisions(app);
    assertEquals(List.of(revisions.get(0), revision), revisions);
  }

  @Test
  void rollOut_shouldReadAgainAndApplyAgain_whenARMAnswersConflict() throws Exception {
    // GIVEN another operation holds the app when rollgate's PATCH arrives
    fake.fake.faults().failNext("ContainerApps_Update", Kind.CONFLICT);

    // WHEN
    String revision = platform.rollOut(target, "d-1", image(1)).id();

    // THEN the second attempt, on a fresh read, went through
    assertEquals(1, fake.fake.faults().injected(Kind.CONFLICT));
    assertEquals(2, fake.fake.calls("ContainerApps_Update"));
    assertEquals(2, fake.revisions(app).size());
    assertEquals(revision, platform.describe(target).revision());
  }

  @Test
  void describe_shouldWaitWhatRetryAfterAsks_whenThrottled() throws Exception {
    // GIVEN ARM throttles the next read, asking for 1 second
    fake.fake.faults().failNext("ContainerApps_Get", Kind.THROTTLED);
    Instant before = clock.now();
    int reads = fake.fake.calls("ContainerApps_Get");

    // WHEN
    platform.describe(target);

    // THEN rollgate waited at least that long before reading again
    assertTrue(
        !clock.now().isBefore(before.plusSeconds(1)),
        "waited " + Duration.between(before, clock.now()));
    assertEquals(reads + 2, fake.fake.calls("ContainerApps_Get"));
  }

  @Test
  void describe_shouldNameTheFixAndNotRetry_whenTheAppDoesNotExist() {
    // GIVEN
    TargetSpec missing = ContainerAppsFakeHarness.target("no-such-app", null);

    // WHEN
    PlatformException e = assertThrows(PlatformException.class, () -> platform.describe(missing));

    // THEN
    assertFalse(e.retryable(), e.getMessage());
    assertTrue(e.getMessage().contains("404 ResourceNotFound"), e.getMessage());
    assertTrue(e.getMessage().contains("target.app"), e.getMessage());
  }

  @Test
  void migrate_shouldStartOneExecution_whenTheStartsAnswerIsLost() throws Exception {
    // GIVEN the answer to the job's start gets lost after the execution started
    fake.fake.faults().failNext("Jobs_Start", Kind.LOST_ANSWER);

    // WHEN
    MigrationRunner.Result result =
        runner.migrate(
            MigrationSpec.job(List.of("alembic"), List.of("upgrade", "head"), Map.of(), null),
            new MigrationRunner.Context("shop", "staging", "d-1", image(1), null, null, target));

    // THEN one execution ran, of the release's image, with the job's own env carried over
    assertEquals(1, fake.executions(JOB, "d-1"));
    assertEquals(0, result.applied(), "found, not started, by the retry");
    var templates =
        fake.fake.executionTemplates(
            ContainerAppsFakeHarness.SUBSCRIPTION, ContainerAppsFakeHarness.GROUP, JOB);
    assertEquals(
        image(1).pinned(), templates.get(0).path("containers").get(0).path("image").asText());
    String env = templates.get(0).path("containers").get(0).path("env").toString();
    assertTrue(env.contains("{\"name\":\"DATABASE_URL\",\"secretRef\":\"db-url\"}"), env);
    assertTrue(env.contains("{\"name\":\"MODE\",\"value\":\"prod\"}"), env);
  }

  @Test
  void migrate_shouldFailNamingTheExecutionsStatus_whenTheReleasesJobFails() {
    // GIVEN a release whose image the fake plays as a failing job ("bad job")
    ImageRef bad = new ImageRef("shopacr.azurecr.io", "shop", "v9", ContainerAppsEngine.badJob(9));

    // WHEN
    MigrationRunner.MigrationException e =
        assertThrows(
            MigrationRunner.MigrationException.class,
            () ->
                runner.migrate(
                    MigrationSpec.job(
                        List.of("alembic"), List.of("upgrade", "head"), Map.of(), null),
                    new MigrationRunner.Context(
                        "shop", "staging", "d-9", bad, null, null, target)));

    // THEN a failure (the release is bad), in Container Apps' terms
    assertTrue(e.failure(), e.getMessage());
    assertTrue(e.getMessage().contains("ended Failed"), e.getMessage());
    assertTrue(e.getMessage().contains("alembic upgrade head"), e.getMessage());
    assertTrue(e.getMessage().contains("ContainerAppConsoleLogs_CL"), e.getMessage());
  }

  private static ImageRef image(int n) {
    return new ImageRef("shopacr.azurecr.io", "shop", "v" + n, Deployments.digest(n));
  }
}
