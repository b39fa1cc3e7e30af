package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.testing.FakeClock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ecs job runner checks its own job settings at start, each problem naming its path. */
class EcsJobValidationTest {

  private static final String PATH = "apps[0].environments.prod.migrations.job";
  private static final TargetSpec TARGET =
      new TargetSpec(
          "ecs",
          Map.of("cluster", "prod", "service", "shop", "container", "app"),
          "apps[0].environments.prod.target");
  private final MigrationRunner runner =
      new EcsTaskMigrationRunner(null, null, new FakeClock(), null, null);

  @Test
  void validate_shouldAccept_whenTheJobIsPlain() {
    // GIVEN / WHEN / THEN
    MigrationSpec job =
        MigrationSpec.job(List.of("alembic", "upgrade"), List.of("head"), Map.of("LOG", "x"), null);
    assertEquals(List.of(), runner.validate(job, TARGET, PATH));
    assertEquals("ecs", runner.platform());
    assertEquals(MigrationSpec.JOB, runner.tool());
  }

  @Test
  void validate_shouldNameThePath_whenAPlaceholderOrABadVariableNameIsUsed() {
    // GIVEN
    MigrationSpec job =
        MigrationSpec.job(List.of("migrate"), List.of("--to", "{tag}"), Map.of("1BAD", "x"), null);

    // WHEN
    List<String> problems = runner.validate(job, TARGET, PATH);

    // THEN
    assertEquals(2, problems.size(), problems.toString());
    assertEquals(
        PATH
            + ".args[1]: '{tag}': an ecs job runs the release's own task definition and replaces"
            + " no placeholders; the container knows its image (pass values through env)",
        problems.get(0));
    assertEquals(
        PATH
            + ".env.1BAD: not a variable name: use letters, digits and '_', not starting with a"
            + " digit",
        problems.get(1));
  }
}
