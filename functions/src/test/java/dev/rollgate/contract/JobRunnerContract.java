package dev.rollgate.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.MigrationRunner.Context;
import dev.rollgate.core.port.MigrationRunner.MigrationException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every job runner ({@code job:} migrations: a one-off run of the release's image on the
 * target's own platform) must do, run by each implementation's test against its real or emulated
 * platform:
 *
 * <ul>
 *   <li>it is a {@link MigrationSpec#JOB} runner of one platform, and accepts a plain job;
 *   <li>exit 0 returns a result; the job cannot tell a schema version, so none is reported;
 *   <li>a non-zero exit is a FAILURE (the deployment FAILS, no retry) whose message names the exit
 *       code and the last lines of the job's output (or, where the platform keeps the output
 *       elsewhere, the URL of its logs: {@link #failureShowsOutput()});
 *   <li>called again for the same deployment it does not run a second job (applied 0);
 *   <li>a job still running at its {@code timeout} is stopped and is a FAILURE: the release's job
 *       did not finish in the time the manifest gave it, and running it again would not help;
 *   <li>it runs where the context's target says, and never reads the manifest: a target of another
 *       platform is a configuration error.
 * </ul>
 *
 * Each test uses a deployment id of its own.
 */
public abstract class JobRunnerContract {

  private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();

  /** The runner under test. */
  protected abstract MigrationRunner runner();

  /** The environment's target, on the runner's platform. */
  protected abstract TargetSpec target();

  /** A job that ends with exit code 0. */
  protected abstract MigrationSpec succeeding();

  /**
   * A job that prints {@code line 1} to {@code line <lines>}, one a line, and exits {@code code}.
   */
  protected abstract MigrationSpec failing(int code, int lines);

  /** A job that runs longer than its own (short) {@code timeout}. */
  protected abstract MigrationSpec outlivingItsTimeout();

  /** How many jobs the platform ran for {@code deploymentId}. */
  protected abstract int runs(String deploymentId) throws Exception;

  /** The release the jobs run; its tag is {@code v1}. */
  protected ImageRef image() {
    return new ImageRef("registry.test", "team/shop", "v1", "sha256:" + "1".repeat(64));
  }

  /** The manifest's directory, where a job's relative paths start. */
  protected Path baseDir() {
    return null;
  }

  /** A target of a platform that is not the runner's. */
  protected TargetSpec foreignTarget() {
    return new TargetSpec(
        "elsewhere", Map.of("service", "shop"), "apps[0].environments.staging.target");
  }

  protected Context context(String deploymentId, TargetSpec target) {
    return new Context("shop", "staging", deploymentId, image(), baseDir(), null, target);
  }

  protected static String freshDeployment() {
    return "job-contract-" + ProcessHandle.current().pid() + "-" + DEPLOYMENTS.incrementAndGet();
  }

  @Test
  void runner_shouldBeAJobRunnerOfOnePlatform_whenInstalled() {
    // GIVEN / WHEN / THEN
    assertEquals(MigrationSpec.JOB, runner().tool());
    assertEquals(target().platform(), runner().platform());
    assertEquals(
        List.of(),
        runner().validate(succeeding(), target(), "apps[0].environments.staging.migrations.job"));
  }

  @Test
  void migrate_shouldReturnWithNoSchemaVersion_whenTheJobExitsZero() throws Exception {
    // GIVEN
    String deployment = freshDeployment();

    // WHEN
    MigrationRunner.Result result = runner().migrate(succeeding(), context(deployment, target()));

    // THEN
    assertNotNull(result);
    assertNull(result.schemaVersion(), "a job cannot tell its tool's schema version");
    assertEquals(1, result.applied());
    assertEquals(1, runs(deployment));
  }

  @Test
  void migrate_shouldNotRunASecondJob_whenCalledAgainForTheSameDeployment() throws Exception {
    // GIVEN a deployment whose job ran
    String deployment = freshDeployment();
    runner().migrate(succeeding(), context(deployment, target()));

    // WHEN called again, as after a crash between the job and the ledger write
    MigrationRunner.Result again = runner().migrate(succeeding(), context(deployment, target()));

    // THEN
    assertEquals(0, again.applied());
    assertEquals(1, runs(deployment));
  }

  @Test
  void migrate_shouldFailNamingTheExitCodeAndTheOutputsTail_whenTheJobExitsNonZero() {
    // GIVEN a job printing 25 lines and exiting 3
    String deployment = freshDeployment();

    // WHEN
    MigrationException e =
        assertThrows(
            MigrationException.class,
            () -> runner().migrate(failing(3, 25), context(deployment, target())));

    // THEN a failure, not a fault: no retry, the deployment FAILS
    assertTrue(e.failure(), e.getMessage());
    String m = e.getMessage();
    if (failureShowsExitCode()) {
      assertTrue(m.contains("exited with code 3"), m);
    } else {
      assertTrue(m.contains("Failed"), "the platform's own status of the run: " + m);
    }
    if (failureShowsOutput()) {
      assertTrue(m.contains("line 25"), "the last line: " + m);
      assertTrue(m.contains("line 6"), "the last 20 lines: " + m);
      assertFalse(m.contains("line 5\n") || m.endsWith("line 5"), "only the tail: " + m);
    } else {
      assertTrue(m.contains("https://"), "where the output is: " + m);
    }
  }

  /**
   * Whether a failure's message shows the tail of the job's output. A platform that keeps a job's
   * output elsewhere (Cloud Run: in Cloud Logging) answers false, and its message names the logs'
   * URL instead.
   */
  protected boolean failureShowsOutput() {
    return true;
  }

  /**
   * Whether a failure's message names the job's exit code. A platform whose API keeps no exit code
   * (Container Apps job executions: a status only) answers false, and its message names the
   * execution's status, {@code Failed}, instead.
   */
  protected boolean failureShowsExitCode() {
    return true;
  }

  @Test
  void migrate_shouldStopItAndFail_whenTheJobOutlivesItsTimeout() {
    // GIVEN
    String deployment = freshDeployment();

    // WHEN
    MigrationException e =
        assertThrows(
            MigrationException.class,
            () -> runner().migrate(outlivingItsTimeout(), context(deployment, target())));

    // THEN
    assertTrue(e.failure(), e.getMessage());
    assertTrue(e.getMessage().contains("timeout"), e.getMessage());
  }

  @Test
  void migrate_shouldBeAConfigurationError_whenTheContextsTargetIsAnotherPlatforms()
      throws Exception {
    // GIVEN
    String deployment = freshDeployment();

    // WHEN
    MigrationException e =
        assertThrows(
            MigrationException.class,
            () -> runner().migrate(succeeding(), context(deployment, foreignTarget())));

    // THEN the runner used the context's target, and ran nothing
    assertTrue(e.configuration(), e.getMessage());
    assertTrue(e.getMessage().contains("elsewhere"), e.getMessage());
    assertEquals(0, runs(deployment));
  }
}
