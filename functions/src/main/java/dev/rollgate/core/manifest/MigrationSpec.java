package dev.rollgate.core.manifest;

import java.util.List;

/**
 * How to bring the database to a release's schema.
 *
 * @param tool {@code flyway} (in process) for now
 * @param locations Flyway locations ({@code classpath:}, {@code filesystem:}); {@code {tag}} is
 *     replaced by the image tag, relative filesystem paths are resolved against the manifest's
 *     directory
 * @param database reference to the secret holding the JDBC URL of the app's database
 */
public record MigrationSpec(String tool, List<String> locations, SecretRef database) {

  public MigrationSpec {
    locations = List.copyOf(locations);
  }
}
