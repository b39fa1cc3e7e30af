package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.MigrationRunner.MigrationException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * EcsTaskMigrationRunner: the call shape against moto (its tasks go RUNNING to STOPPED over four
 * DescribeTasks and always exit 0), exit codes and failures against played-back ECS answers.
 */
class EcsTaskMigrationRunnerIT {

  private static final MigrationSpec ALEMBIC =
      MigrationSpec.job(List.of("alembic", "upgrade", "head"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ImageRef image(int n) {
    return new ImageRef(
        "123456789012.dkr.ecr.us-east-1.amazonaws.com", "shop", "v" + n, Deployments.digest(n));
  }

  private static MigrationRunner.Context context(
      String deploymentId, ImageRef image, TargetSpec target) {
    return new MigrationRunner.Context("shop", "staging", deploymentId, image, null, null, target);
  }

  @Nested
  @ExtendWith(MotoServer.Extension.class)
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnMoto {

    private EcsProxy proxy;
    private MotoEcs moto;
    private AwsAdapter aws;
    private AwsClients clients;

    @BeforeAll
    void start(MotoServer server) throws Exception {
      proxy = new EcsProxy(server.endpoint());
      moto = new MotoEcs(server);
      aws = new AwsAdapter(MotoServer.settings(proxy.endpoint()));
      clients = new AwsClients(aws.settings());
    }

    @AfterAll
    void stop() {
      clients.close();
      aws.close();
      moto.close();
      proxy.close();
    }

    @Test
    void migrate_shouldRunTheReleasesTaskDefinitionWithTheCommand_whenTheJobSucceeds()
        throws Exception {
      // GIVEN a service and the runner reading its target from the manifest
      String service = "mig-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
      TargetSpec target = moto.createService(service);
      MigrationRunner runner = runner(target);

      // WHEN the release's migration runs
      MigrationRunner.Result result = runner.migrate(ALEMBIC, context("d-mig-1", image(1)));

      // THEN one task ran to exit 0
      assertEquals(1, result.applied());
      assertNull(result.schemaVersion(), "ECS cannot know the tool's schema version");
      List<String> runs = proxy.forwarded("RunTask");
      JsonNode run = JSON.readTree(runs.get(runs.size() - 1));
      // ... with the command in the app container, the service's network and launch type
      JsonNode override = run.path("overrides").path("containerOverrides").get(0);
      assertEquals("app", override.path("name").asText());
      assertEquals("[\"alembic\",\"upgrade\",\"head\"]", override.path("command").toString());
      assertEquals("FARGATE", run.path("launchType").asText());
      assertFalse(
          run.path("networkConfiguration").path("awsvpcConfiguration").path("subnets").isEmpty(),
          run.toString());
      assertEquals("d-mig-1", run.path("startedBy").asText());
      // ... of the release's own revision, which the rollout then uses without registering again
      String taskDefinition = run.path("taskDefinition").asText();
      assertEquals("d-mig-1", moto.tags(taskDefinition).get("rollgate:deployment"));
      assertEquals(
          image(1).pinned(),
          moto.taskDefinition(taskDefinition).containerDefinitions().get(0).image());
      ServicePlatform ecs = aws.ecsPlatform();
      assertEquals(taskDefinition, ecs.rollOut(target, "d-mig-1", image(1)).id());
      assertEquals(2, moto.revisions(service).size(), "placeholder + the release, registered once");
    }

    @Test
    void migrate_shouldWaitForTheEarlierTask_whenCalledAgainForTheSameDeployment()
        throws Exception {
      // GIVEN a deployment whose migration task was started by an earlier invocation
      String service = "mig-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
      TargetSpec target = moto.createService(service);
      MigrationRunner runner = runner(target);
      runner.migrate(ALEMBIC, context("d-mig-2", image(2)));
      long runsBefore = proxy.forwarded("RunTask", "startedBy", "d-mig-2");

      // WHEN it is called again
      MigrationRunner.Result again = runner.migrate(ALEMBIC, context("d-mig-2", image(2)));

      // THEN it started no second task
      assertEquals(1, runsBefore);
      assertEquals(1, proxy.forwarded("RunTask", "startedBy", "d-mig-2"));
      assertEquals(0, again.applied());
    }

    /** The target of the service the last runner was made for: the context carries it. */
    private TargetSpec target;

    private MigrationRunner.Context context(String deploymentId, ImageRef image) {
      return EcsTaskMigrationRunnerIT.context(deploymentId, image, target);
    }

    private MigrationRunner runner(TargetSpec target) {
      this.target = target;
      EcsApi api = new EcsApi(clients);
      return new EcsTaskMigrationRunner(
          api,
          new ReleaseTaskDefinitions(api, 10),
          new FakeClock(),
          Duration.ofSeconds(2),
          Duration.ofMinutes(5));
    }
  }

  @Nested
  class OnPlayback {

    /** When the recorded running task was created (its createdAt). */
    private static final java.time.Instant TASK_CREATED =
        java.time.Instant.ofEpochMilli(1763812801200L);

    private static final String DEPLOYMENT = "d-job"; // the fixtures' task definition carries it

    private EcsPlayback playback;
    private AwsClients clients;

    @BeforeEach
    void start() throws Exception {
      playback = new EcsPlayback();
      playback
          .answer("DescribeServices", "job-describe-services.json")
          .answer("DescribeTaskDefinition", "job-describe-task-definition.json")
          .answerJson("ListTasks", "{\"taskArns\":[]}");
      clients = new AwsClients(EcsRolloutObservationIT.settings(playback.endpoint()));
    }

    @AfterEach
    void stop() {
      clients.close();
      playback.close();
    }

    private final TargetSpec target =
        new TargetSpec(
            "ecs",
            Map.of("cluster", "prod", "service", "shop", "container", "app", "region", "eu-west-1"),
            "apps[0].environments.production.target");

    private MigrationRunner.Context context(String deploymentId, ImageRef image) {
      return EcsTaskMigrationRunnerIT.context(deploymentId, image, target);
    }

    private MigrationRunner runner(FakeClock clock) {
      EcsApi api = new EcsApi(clients);
      return new EcsTaskMigrationRunner(
          api,
          new ReleaseTaskDefinitions(api, 10),
          clock,
          Duration.ofSeconds(5),
          Duration.ofMinutes(2));
    }

    @Test
    void migrate_shouldSucceed_whenTheContainerExitsWithZero() throws Exception {
      // GIVEN
      playback
          .answer("RunTask", "job-run-task.json")
          .answer(
              "DescribeTasks", "job-describe-tasks-running.json", "job-describe-tasks-exit-0.json");
      FakeClock clock = new FakeClock(TASK_CREATED.plusSeconds(1));

      // WHEN
      MigrationRunner.Result result = runner(clock).migrate(ALEMBIC, context(DEPLOYMENT, image(8)));

      // THEN it polled with the injected clock until the task stopped
      assertEquals(1, result.applied());
      assertEquals(2, playback.calls("DescribeTasks").size());
      assertEquals(0, playback.calls("RegisterTaskDefinition").size(), "release revision exists");
    }

    @Test
    void migrate_shouldPassTheJobsArgsAndEnv_whenTheJobNamesThem() throws Exception {
      // GIVEN a job with arguments and a variable
      playback
          .answer("RunTask", "job-run-task.json")
          .answer(
              "DescribeTasks", "job-describe-tasks-running.json", "job-describe-tasks-exit-0.json");
      MigrationSpec job =
          MigrationSpec.job(
              List.of("alembic"), List.of("upgrade", "head"), Map.of("LOG", "debug"), null);

      // WHEN
      runner(new FakeClock(TASK_CREATED.plusSeconds(1)))
          .migrate(job, context(DEPLOYMENT, image(8)));

      // THEN the container runs command then args, with the variable
      JsonNode override =
          JSON.readTree(playback.calls("RunTask").get(0).body())
              .path("overrides")
              .path("containerOverrides")
              .get(0);
      assertEquals("[\"alembic\",\"upgrade\",\"head\"]", override.path("command").toString());
      assertEquals(
          "[{\"name\":\"LOG\",\"value\":\"debug\"}]", override.path("environment").toString());
    }

    @Test
    void migrate_shouldBeAConfigurationError_whenTheContextsTargetIsNotEcs() {
      // GIVEN a context whose target is another platform's
      MigrationRunner.Context local =
          EcsTaskMigrationRunnerIT.context(
              DEPLOYMENT,
              image(8),
              new TargetSpec("local", Map.of("service", "shop"), "apps[0].environments.x.target"));

      // WHEN
      MigrationException e =
          assertThrows(
              MigrationException.class,
              () -> runner(new FakeClock(TASK_CREATED.plusSeconds(1))).migrate(ALEMBIC, local));

      // THEN the runner read the context's target, no manifest
      assertTrue(e.configuration(), e.getMessage());
      assertTrue(e.getMessage().contains("platform 'local'"), e.getMessage());
      assertEquals(0, playback.calls("RunTask").size());
    }

    @Test
    void migrate_shouldFailTheDeployment_whenTheContainerExitsWithNonZero() throws Exception {
      // GIVEN
      playback
          .answer("RunTask", "job-run-task.json")
          .answer(
              "DescribeTasks", "job-describe-tasks-running.json", "job-describe-tasks-exit-3.json");

      // WHEN
      MigrationException e =
          assertThrows(
              MigrationException.class,
              () ->
                  runner(new FakeClock(TASK_CREATED.plusSeconds(1)))
                      .migrate(ALEMBIC, context(DEPLOYMENT, image(8))));

      // THEN a failure (no retry), with the exit code and ECS's reason
      assertTrue(e.failure());
      assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
      assertTrue(e.getMessage().contains("Essential container in task exited"), e.getMessage());
      assertTrue(e.getMessage().contains("alembic upgrade head"), e.getMessage());
    }

    @Test
    void migrate_shouldFailTheDeployment_whenTheContainerNeverRan() throws Exception {
      // GIVEN
      playback
          .answer("RunTask", "job-run-task.json")
          .answer("DescribeTasks", "job-describe-tasks-cannot-pull.json");

      // WHEN
      MigrationException e =
          assertThrows(
              MigrationException.class,
              () ->
                  runner(new FakeClock(TASK_CREATED.plusSeconds(1)))
                      .migrate(ALEMBIC, context(DEPLOYMENT, image(8))));

      // THEN
      assertTrue(e.failure());
      assertTrue(e.getMessage().contains("did not run to completion"), e.getMessage());
      assertTrue(e.getMessage().contains("CannotPullContainerError"), e.getMessage());
      assertTrue(e.getMessage().contains("(TaskFailedToStart)"), e.getMessage());
    }

    @Test
    void migrate_shouldReportAFault_whenNoCapacityStartsTheTask() throws Exception {
      // GIVEN
      playback.answer("RunTask", "job-run-task-no-capacity.json");

      // WHEN
      MigrationException e =
          assertThrows(
              MigrationException.class,
              () ->
                  runner(new FakeClock(TASK_CREATED.plusSeconds(1)))
                      .migrate(ALEMBIC, context(DEPLOYMENT, image(8))));

      // THEN nothing ran, so it is a fault worth retrying
      assertFalse(e.failure());
      assertTrue(e.getMessage().contains("RESOURCE:MEMORY"), e.getMessage());
    }

    @Test
    void migrate_shouldGiveUpWaitingWithoutFailing_whenTheTaskRunsPastTheTimeout()
        throws Exception {
      // GIVEN a task that keeps running, created a moment before the clock starts
      playback
          .answer("RunTask", "job-run-task.json")
          .answer("DescribeTasks", "job-describe-tasks-running.json");
      FakeClock clock = new FakeClock(TASK_CREATED.plusSeconds(1));
      java.time.Instant start = clock.now();

      // WHEN
      MigrationException e =
          assertThrows(
              MigrationException.class,
              () -> runner(clock).migrate(ALEMBIC, context(DEPLOYMENT, image(8))));

      // THEN it waited two minutes of clock time, polling every five seconds, and said so
      assertFalse(e.failure(), "the task runs on; the next attempt waits for it again");
      assertTrue(e.getMessage().contains("still RUNNING after 120s"), e.getMessage());
      assertEquals(Duration.ofMinutes(2), Duration.between(start, clock.now()));
      assertEquals(25, playback.calls("DescribeTasks").size());
    }

    @Test
    void migrate_shouldStopTheTaskAndFail_whenTheJobRunsPastItsOwnTimeout() throws Exception {
      // GIVEN a task that keeps running, and a job whose timeout is one minute
      playback
          .answer("RunTask", "job-run-task.json")
          .answer("DescribeTasks", "job-describe-tasks-running.json")
          .answer("StopTask", "job-stop-task.json");
      FakeClock clock = new FakeClock(TASK_CREATED.plusSeconds(1));
      MigrationSpec oneMinute =
          MigrationSpec.job(
              List.of("alembic", "upgrade", "head"), List.of(), Map.of(), Duration.ofMinutes(1));

      // WHEN the runner waits for it
      MigrationException e =
          assertThrows(
              MigrationException.class,
              () -> runner(clock).migrate(oneMinute, context(DEPLOYMENT, image(8))));

      // THEN the task is stopped with the reason, and the deployment fails saying why
      assertTrue(e.failure(), "a job past its timeout fails the release");
      assertTrue(e.getMessage().contains("ran past its timeout of 60s"), e.getMessage());
      assertEquals(1, playback.calls("StopTask").size());
      assertTrue(
          playback.calls("StopTask").get(0).body().contains("ran past its timeout of 60s"),
          playback.calls("StopTask").get(0).body());
    }

    @Test
    void migrate_shouldRefuse_whenTheSpecHasNoCommand() {
      // GIVEN
      MigrationSpec empty = MigrationSpec.job(List.of());

      // WHEN
      MigrationException e =
          assertThrows(
              MigrationException.class,
              () ->
                  new EcsTaskMigrationRunner(
                          null, null, new FakeClock(TASK_CREATED.plusSeconds(1)), null, null)
                      .migrate(empty, context(DEPLOYMENT, image(8))));

      // THEN
      assertTrue(e.failure());
      assertTrue(e.getMessage().contains("[alembic, upgrade, head]"), e.getMessage());
    }
  }
}
