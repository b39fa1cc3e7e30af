package dev.rollgate.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.testing.FakeMigrationRunner;
import dev.rollgate.testing.InMemoryPlatform;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformsTest {

  /** A job runner of one platform that refuses a command word {@code bad}. */
  private record JobRunner(String platform) implements MigrationRunner {
    @Override
    public String tool() {
      return MigrationSpec.JOB;
    }

    @Override
    public List<String> validate(MigrationSpec spec, TargetSpec target, String path) {
      return spec.command().contains("bad") ? List.of(path + ".command[0]: bad") : List.of();
    }

    @Override
    public Result migrate(MigrationSpec spec, Context context) {
      return new Result(null, 1);
    }
  }

  private static Manifest manifest(String platform, String command) {
    return ManifestLoader.parse(
        """
        apps:
          - name: shop
            image: registry.example.com/team/shop
            environments:
              staging:
                target: { platform: %s, service: shop }
                migrations: { job: { command: [%s] } }
        """
            .formatted(platform, command),
        "rollgate.yaml",
        Path.of("/base"));
  }

  @Test
  void runner_shouldBeTheTargetPlatformsJobRunner_whenTheMigrationIsAJob() {
    // GIVEN job runners of two platforms
    JobRunner memory = new JobRunner("memory");
    Platforms platforms =
        new Platforms(
            List.of(new InMemoryPlatform()),
            List.of(new JobRunner("elsewhere"), memory, new FakeMigrationRunner()));
    EnvironmentSpec env =
        manifest("memory", "migrate").environment("shop", "staging").orElseThrow();

    // WHEN / THEN the target's platform chooses
    assertSame(memory, platforms.runner(env));
    assertEquals(List.of(), platforms.validate(manifest("memory", "migrate")));
  }

  @Test
  void validate_shouldNameThePlatformsThatRunJobs_whenTheTargetsPlatformHasNoJobRunner() {
    // GIVEN only another platform runs jobs
    Platforms platforms =
        new Platforms(List.of(new InMemoryPlatform()), List.of(new JobRunner("elsewhere")));

    // WHEN
    List<String> problems = platforms.validate(manifest("memory", "migrate"));

    // THEN
    assertEquals(
        List.of(
            "apps[0].environments.staging.migrations.job: platform 'memory' runs no jobs here;"
                + " platforms with a job runner installed: elsewhere (or migrate with flyway:)"),
        problems);
  }

  @Test
  void validate_shouldReportTheJobRunnersOwnChecks_whenItRefusesTheJob() {
    // GIVEN
    Platforms platforms =
        new Platforms(List.of(new InMemoryPlatform()), List.of(new JobRunner("memory")));

    // WHEN / THEN
    assertEquals(
        List.of("apps[0].environments.staging.migrations.job.command[0]: bad"),
        platforms.validate(manifest("memory", "bad")));
  }
}
