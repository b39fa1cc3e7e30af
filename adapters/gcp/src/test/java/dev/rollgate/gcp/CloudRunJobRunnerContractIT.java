package dev.rollgate.gcp;

import dev.rollgate.contract.JobRunnerContract;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.MigrationRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The job-runner contract against the Cloud Run fake's Jobs and Executions, through Google's
 * client. The fake's container does what its env says (ROLLGATE_FAKE_EXIT_CODE,
 * ROLLGATE_FAKE_RUN_MILLIS); Cloud Run keeps a job's output in Cloud Logging, so a failure names
 * the execution's log URI rather than the output's tail.
 */
class CloudRunJobRunnerContractIT extends JobRunnerContract {

  private static final String JOB = "shop-migrate";
  private static final List<String> COMMAND = List.of("migrate");
  private static CloudRunFakeHarness fake;
  private static MigrationRunner runner;
  private static TargetSpec target;

  @BeforeAll
  static void start() throws Exception {
    fake = new CloudRunFakeHarness();
    runner = fake.jobRunner(Clock.system());
    fake.createPlaceholderService("shop");
    fake.createJob(JOB, COMMAND);
    target = CloudRunFakeHarness.target("shop", JOB);
  }

  @AfterAll
  static void stop() throws Exception {
    fake.close();
  }

  @Override
  protected MigrationRunner runner() {
    return runner;
  }

  @Override
  protected TargetSpec target() {
    return target;
  }

  @Override
  protected MigrationSpec succeeding() {
    return MigrationSpec.job(COMMAND, List.of("up"), Map.of("LOG_LEVEL", "info"), null);
  }

  @Override
  protected MigrationSpec failing(int code, int lines) {
    return MigrationSpec.job(
        COMMAND, List.of("up"), Map.of("ROLLGATE_FAKE_EXIT_CODE", String.valueOf(code)), null);
  }

  @Override
  protected MigrationSpec outlivingItsTimeout() {
    return MigrationSpec.job(
        COMMAND, List.of("up"), Map.of("ROLLGATE_FAKE_RUN_MILLIS", "60000"), Duration.ofSeconds(1));
  }

  @Override
  protected int runs(String deploymentId) {
    return fake.executions(JOB, deploymentId);
  }

  @Override
  protected boolean failureShowsOutput() {
    return false;
  }
}
