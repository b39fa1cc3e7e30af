package dev.rollgate.azure;

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
 * The job-runner contract against the ARM fake's jobs and executions, through Azure's SDK. The
 * fake's container does what its env says (ROLLGATE_FAKE_EXIT_CODE, ROLLGATE_FAKE_RUN_MILLIS).
 * Container Apps keeps neither a job's exit code nor its output in the API (an execution has a
 * status), so a failure names the status and where the logs are.
 */
class ContainerAppsJobRunnerContractIT extends JobRunnerContract {

  private static final String JOB = "shop-migrate";
  private static final List<String> COMMAND = List.of("alembic");
  private static ContainerAppsFakeHarness fake;
  private static MigrationRunner runner;
  private static TargetSpec target;

  @BeforeAll
  static void start() throws Exception {
    fake = new ContainerAppsFakeHarness();
    runner = fake.jobRunner(Clock.system());
    fake.createPlaceholderApp("shop", "Multiple");
    fake.createJob(JOB, COMMAND);
    target = ContainerAppsFakeHarness.target("shop", JOB);
  }

  @AfterAll
  static void stop() {
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
    return MigrationSpec.job(
        COMMAND, List.of("upgrade", "head"), Map.of("LOG_LEVEL", "info"), null);
  }

  @Override
  protected MigrationSpec failing(int code, int lines) {
    return MigrationSpec.job(
        COMMAND,
        List.of("upgrade", "head"),
        Map.of("ROLLGATE_FAKE_EXIT_CODE", String.valueOf(code)),
        null);
  }

  @Override
  protected MigrationSpec outlivingItsTimeout() {
    return MigrationSpec.job(
        COMMAND,
        List.of("upgrade", "head"),
        Map.of("ROLLGATE_FAKE_RUN_MILLIS", "60000"),
        Duration.ofSeconds(1));
  }

  @Override
  protected int runs(String deploymentId) {
    return fake.executions(JOB, deploymentId);
  }

  @Override
  protected boolean failureShowsOutput() {
    return false;
  }

  @Override
  protected boolean failureShowsExitCode() {
    return false;
  }
}
