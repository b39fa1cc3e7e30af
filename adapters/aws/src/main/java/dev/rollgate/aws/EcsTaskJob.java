package dev.rollgate.aws;

import dev.rollgate.core.manifest.MigrationSpec;
import java.util.List;

/**
 * What a migration job runs: the command, in the container whose image the release changes.
 *
 * @param command the container's command for the job, e.g. {@code [alembic, upgrade, head]}
 */
record EcsTaskJob(List<String> command) {

  EcsTaskJob {
    command = List.copyOf(command);
  }

  /** Reads the job from a migration spec of tool {@code ecs-task} ({@code migrations.ecsTask}). */
  static EcsTaskJob from(MigrationSpec spec) {
    return new EcsTaskJob(spec.command());
  }
}
