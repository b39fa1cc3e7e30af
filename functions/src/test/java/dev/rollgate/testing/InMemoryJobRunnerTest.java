package dev.rollgate.testing;

import dev.rollgate.contract.JobRunnerContract;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.MigrationRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The in-memory job runner keeps the job runner contract, as the fakes of tests must. */
class InMemoryJobRunnerTest extends JobRunnerContract {

  private final InMemoryJobRunner runner = new InMemoryJobRunner();

  @Override
  protected MigrationRunner runner() {
    return runner;
  }

  @Override
  protected TargetSpec target() {
    return new TargetSpec("memory", Map.of("service", "shop"), "apps[0].environments.x.target");
  }

  @Override
  protected MigrationSpec succeeding() {
    return MigrationSpec.job(List.of("ok"));
  }

  @Override
  protected MigrationSpec failing(int code, int lines) {
    return MigrationSpec.job(List.of("fail", "" + code, "" + lines));
  }

  @Override
  protected MigrationSpec outlivingItsTimeout() {
    return MigrationSpec.job(List.of("hang"), List.of(), Map.of(), Duration.ofMillis(100));
  }

  @Override
  protected int runs(String deploymentId) {
    return runner.runs(deploymentId);
  }
}
