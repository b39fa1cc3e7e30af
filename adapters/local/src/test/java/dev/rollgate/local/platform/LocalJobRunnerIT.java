package dev.rollgate.local.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.contract.JobRunnerContract;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.MigrationRunner.MigrationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local job runner keeps the job runner contract with real processes, and its own rules. */
class LocalJobRunnerIT extends JobRunnerContract {

  private static final String PATH = "apps[0].environments.staging.migrations.job";

  @TempDir Path stateDir;
  @TempDir Path manifestDir;
  private LocalJobRunner runner;

  private LocalJobRunner runner(Map<String, String> host) {
    return new LocalJobRunner(stateDir, host);
  }

  @Override
  protected MigrationRunner runner() {
    if (runner == null) {
      runner = runner(Map.of("PATH", System.getenv("PATH"), "ROLLGATE_PROMOTE_TOKEN", "secret"));
    }
    return runner;
  }

  @Override
  protected TargetSpec target() {
    return new TargetSpec(
        "local",
        Map.of("service", "shop-jobs", "command", "run {port}", "env.FROM_TARGET", "t"),
        "apps[0].environments.staging.target");
  }

  @Override
  protected Path baseDir() {
    return manifestDir;
  }

  /** {@code sh -c script}, counting each run in the manifest's directory. */
  private static MigrationSpec sh(String script, Map<String, String> env, Duration timeout) {
    return MigrationSpec.job(
        List.of("sh", "-c"),
        List.of("echo run >> runs-$ROLLGATE_DEPLOYMENT; " + script),
        env,
        timeout);
  }

  @Override
  protected MigrationSpec succeeding() {
    return sh("echo migrated", Map.of(), null);
  }

  @Override
  protected MigrationSpec failing(int code, int lines) {
    return sh(
        "i=1; while [ $i -le %d ]; do echo \"line $i\"; i=$((i+1)); done; exit %d"
            .formatted(lines, code),
        Map.of(),
        null);
  }

  @Override
  protected MigrationSpec outlivingItsTimeout() {
    return sh("sleep 60 & echo $! > child.pid; wait", Map.of(), Duration.ofMillis(500));
  }

  @Override
  protected int runs(String deploymentId) throws Exception {
    Path runs = manifestDir.resolve("runs-" + deploymentId);
    return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
  }

  @Test
  void migrate_shouldGiveTheStatedEnvironmentOnly_whenTheJobRuns() throws Exception {
    // GIVEN a host with a secret, a target env and a job env
    MigrationSpec job =
        MigrationSpec.job(
            List.of("sh", "-c", "env > job.env; pwd > job.pwd"),
            List.of(),
            Map.of("GREETING", "hello"),
            null);

    // WHEN
    runner().migrate(job, context(freshDeployment(), target()));

    // THEN it ran in the manifest's directory with the job's, the target's and rollgate's variables
    String env = Files.readString(manifestDir.resolve("job.env"));
    assertTrue(env.contains("GREETING=hello"), env);
    assertTrue(env.contains("FROM_TARGET=t"), env);
    assertTrue(env.contains("ROLLGATE_IMAGE=" + image().pinned()), env);
    assertTrue(env.contains("ROLLGATE_DEPLOYMENT=job-contract-"), env);
    // ... and none of the host's secrets
    assertFalse(env.contains("ROLLGATE_PROMOTE_TOKEN"), env);
    assertEquals(
        manifestDir.toRealPath().toString(),
        Files.readString(manifestDir.resolve("job.pwd")).trim());
  }

  @Test
  void migrate_shouldReplaceThePlaceholders_whenTheCommandUsesThem() throws Exception {
    // GIVEN
    MigrationSpec job =
        MigrationSpec.job(List.of("sh", "-c", "echo \"$0 $1\" > placeholders", "{tag}", "{image}"));

    // WHEN
    runner().migrate(job, context(freshDeployment(), target()));

    // THEN
    assertEquals(
        "v1 " + image().pinned(), Files.readString(manifestDir.resolve("placeholders")).trim());
  }

  @Test
  void migrate_shouldKillTheJobsChildren_whenTheJobOutlivesItsTimeout() throws Exception {
    // GIVEN / WHEN a job whose child sleeps past the timeout
    assertThrows(
        MigrationException.class,
        () -> runner().migrate(outlivingItsTimeout(), context(freshDeployment(), target())));

    // THEN the child is gone too
    long child = Long.parseLong(Files.readString(manifestDir.resolve("child.pid")).trim());
    Instant deadline = Instant.now().plusSeconds(10);
    Optional<ProcessHandle> h = ProcessHandle.of(child);
    while (h.isPresent() && h.get().isAlive() && Instant.now().isBefore(deadline)) {
      try {
        h.get().onExit().get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException stillAlive) {
        // poll again until the deadline
      }
    }
    assertFalse(h.isPresent() && h.get().isAlive(), "the job's child " + child + " still runs");
  }

  @Test
  void validate_shouldNameThePath_whenAPlaceholderIsUnknownOrAVariableIsReserved() {
    // GIVEN
    MigrationSpec job =
        MigrationSpec.job(List.of("migrate"), List.of("{port}"), Map.of("PORT", "1"), null);

    // WHEN
    List<String> problems = runner().validate(job, target(), PATH);

    // THEN
    assertEquals(
        List.of(
            PATH
                + ".args[0]: unknown placeholder '{port}': use {java}, {image}, {tag}, {digest} or"
                + " {deployment}",
            PATH + ".env.PORT: rollgate sets PORT and ROLLGATE_* itself; choose another name"),
        problems);
  }
}
