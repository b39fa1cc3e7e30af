package dev.rollgate.aws;

import dev.rollgate.core.manifest.MigrationSpec;
import java.util.List;
import java.util.Map;

/**
 * What a migration job runs: the command, in the container whose image the release changes.
 *
 * @param command the container's command for the job (its command then its args), e.g. {@code
 *     [alembic, upgrade, head]}
 * @param env variables the container gets on top of its task definition's
 * @param timeout how long the task may run before it is stopped and the deployment fails
 */
record EcsTaskJob(List<String> command, Map<String, String> env, java.time.Duration timeout) {

  EcsTaskJob {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }

  /** Reads the job from a {@code job:} migration spec. */
  static EcsTaskJob from(MigrationSpec spec) {
    return new EcsTaskJob(spec.commandLine(), spec.env(), spec.timeout());
  }
}
