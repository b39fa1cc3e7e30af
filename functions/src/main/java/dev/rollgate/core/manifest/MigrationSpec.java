package dev.rollgate.core.manifest;

import java.util.List;

/**
 * How to bring the database to a release's schema: Flyway in process, or a one-off job of the
 * release's image on the environment's platform.
 *
 * @param tool {@code flyway} (in process), or a platform's job runner ({@code ecs-task})
 * @param locations Flyway locations ({@code classpath:}, {@code filesystem:}, {@code s3:}); {@code
 *     {tag}} is replaced by the image tag, relative filesystem paths are resolved against the
 *     manifest's directory; empty for a job
 * @param database reference to the secret holding the JDBC URL of the app's database (Flyway); null
 *     for a job, whose image knows its database
 * @param command the job's command, e.g. {@code [alembic, upgrade, head]}; empty for Flyway
 */
public record MigrationSpec(
    String tool, List<String> locations, SecretRef database, List<String> command) {

  public MigrationSpec {
    locations = List.copyOf(locations);
    command = command == null ? List.of() : List.copyOf(command);
  }

  /** A Flyway migration. */
  public MigrationSpec(String tool, List<String> locations, SecretRef database) {
    this(tool, locations, database, List.of());
  }

  /** A one-off job of the release's image running {@code command}. */
  public static MigrationSpec job(String tool, List<String> command) {
    return new MigrationSpec(tool, List.of(), null, command);
  }
}
