package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.CreateJobRequest;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.ExecutionTemplate;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.TaskTemplate;
import com.google.cloud.run.v2.VpcAccess;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.MigrationRunner.MigrationException;
import dev.rollgate.testing.Deployments;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cloud Run job migrations beyond the contract: the job's template keeps everything but the image
 * (and rollgate's deployment label), the command RunJob cannot override, and what a failure names.
 */
class CloudRunJobRunnerIT {

  private static final String JOB = "shop-migrate";

  private CloudRunFakeHarness fake;
  private CloudRunJobRunner runner;
  private TargetSpec target;

  @BeforeEach
  void start() throws Exception {
    fake = new CloudRunFakeHarness();
    runner = fake.jobRunner(Clock.system());
    target = CloudRunFakeHarness.target("shop", JOB);
  }

  @AfterEach
  void stop() throws Exception {
    fake.close();
  }

  @Test
  void migrate_shouldKeepTheJobsTemplateButTheImage_whenTheReleaseRuns() throws Exception {
    // GIVEN a job with env, a secret, a service account, VPC access, labels and retries
    ExecutionTemplate original =
        ExecutionTemplate.newBuilder()
            .putLabels("team", "shop")
            .putAnnotations("run.googleapis.com/cloudsql-instances", "p:europe-west1:shop")
            .setTaskCount(1)
            .setTemplate(
                TaskTemplate.newBuilder()
                    .setMaxRetries(1)
                    .setServiceAccount("migrate@p.iam.gserviceaccount.com")
                    .setVpcAccess(
                        VpcAccess.newBuilder()
                            .setConnector("projects/p/locations/europe-west1/connectors/c")
                            .setEgress(VpcAccess.VpcEgress.ALL_TRAFFIC))
                    .addContainers(
                        Container.newBuilder()
                            .setName("app")
                            .setImage(CloudRunFakeHarness.PLACEHOLDER_IMAGE)
                            .addCommand("migrate")
                            .addEnv(EnvVar.newBuilder().setName("DB").setValue("shop"))))
            .build();
    createJob(original);
    ImageRef image = image(1);

    // WHEN a release's migration runs
    runner.migrate(spec(Map.of()), context("d-1", image));

    // THEN the job's template is the original but for the image and the deployment's label
    ExecutionTemplate after =
        fake.clients.jobs().getJob(CloudRunFakeHarness.PARENT + "/jobs/" + JOB).getTemplate();
    ExecutionTemplate expected =
        original.toBuilder()
            .putLabels(CloudRunJobRunner.DEPLOYMENT_LABEL, "d-1")
            .setTemplate(
                original.getTemplate().toBuilder()
                    .setContainers(
                        0,
                        original.getTemplate().getContainers(0).toBuilder()
                            .setImage(image.pinned())))
            .build();
    assertEquals(expected, after);
  }

  @Test
  void migrate_shouldBeAConfigurationError_whenTheJobRunsAnotherCommand() throws Exception {
    // GIVEN a job whose container runs 'alembic', while the manifest says 'migrate'
    fake.createJob(JOB, List.of("alembic"));

    // WHEN
    MigrationException e =
        assertThrows(
            MigrationException.class,
            () -> runner.migrate(spec(Map.of()), context("d-1", image(1))));

    // THEN it names both commands and the fix, and ran nothing
    assertTrue(e.configuration(), e.getMessage());
    assertTrue(e.getMessage().contains("[alembic]"), e.getMessage());
    assertTrue(e.getMessage().contains("overrides args, not the command"), e.getMessage());
    assertEquals(0, fake.executions(JOB, "d-1"));
  }

  @Test
  void migrate_shouldNameTheReasonTheExitCodeAndTheLogs_whenTheJobFails() throws Exception {
    // GIVEN a job that exits 1
    fake.createJob(JOB, List.of("migrate"));

    // WHEN
    MigrationException e =
        assertThrows(
            MigrationException.class,
            () ->
                runner.migrate(
                    spec(Map.of("ROLLGATE_FAKE_EXIT_CODE", "1")), context("d-1", image(1))));

    // THEN a failure of the release, in Cloud Run's terms
    assertTrue(e.failure(), e.getMessage());
    String m = e.getMessage();
    assertTrue(m.contains("0 of 1 tasks succeeded, 1 failed"), m);
    assertTrue(m.contains("exited with code 1"), m);
    assertTrue(m.contains("executionReason NON_ZERO_EXIT_CODE"), m);
    assertTrue(m.contains("logs: https://console.cloud.google.com/logs/"), m);
  }

  @Test
  void validate_shouldAskForTheJob_whenTheTargetNamesNone() {
    // GIVEN
    TargetSpec noJob = CloudRunFakeHarness.target("shop", null);

    // WHEN
    List<String> problems =
        runner.validate(spec(Map.of()), noJob, "apps[0].environments.staging.migrations.job");

    // THEN
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith(noJob.path() + ".job: missing"), problems.get(0));
  }

  private void createJob(ExecutionTemplate template) throws Exception {
    fake.clients
        .jobs()
        .createJobAsync(
            CreateJobRequest.newBuilder()
                .setParent(CloudRunFakeHarness.PARENT)
                .setJobId(JOB)
                .setJob(Job.newBuilder().setTemplate(template))
                .build())
        .get(10, TimeUnit.SECONDS);
  }

  private static MigrationSpec spec(Map<String, String> env) {
    return MigrationSpec.job(List.of("migrate"), List.of("up"), env, null);
  }

  private MigrationRunner.Context context(String deployment, ImageRef image) {
    return new MigrationRunner.Context("shop", "staging", deployment, image, null, null, target);
  }

  private static ImageRef image(int n) {
    return new ImageRef("europe-docker.pkg.dev", "p/shop/shop", "v" + n, Deployments.digest(n));
  }
}
