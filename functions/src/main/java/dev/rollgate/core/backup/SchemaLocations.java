package dev.rollgate.core.backup;

import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.Ledger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves the migration locations that rebuild a database's schema as it is now: the placeholders
 * ({@code {tag}}, ...) take the values of the release that migrated the database last, relative
 * filesystem paths become absolute, so that a restore later finds the same migrations.
 */
final class SchemaLocations {

  private static final String FILESYSTEM = "filesystem:";
  private static final int HISTORY = 50;

  private SchemaLocations() {}

  static List<String> resolve(
      MigrationSpec spec, Path baseDir, String app, String environment, Ledger ledger)
      throws BackupException {
    ImageRef image = lastMigrated(ledger, app, environment).map(Deployment::image).orElse(null);
    List<String> resolved = new ArrayList<>();
    for (String location : spec.locations()) {
      String out = location;
      out = substitute(out, location, "tag", image == null ? null : image.tag(), app, environment);
      out =
          substitute(
              out, location, "digest", image == null ? null : image.digest(), app, environment);
      out = out.replace("{app}", app).replace("{environment}", environment);
      if (out.regionMatches(true, 0, FILESYSTEM, 0, FILESYSTEM.length())) {
        try {
          Path path = Path.of(out.substring(FILESYSTEM.length()));
          if (!path.isAbsolute() && baseDir != null) {
            path = baseDir.resolve(path);
          }
          out = FILESYSTEM + path.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
          throw new BackupException(
              "migration location '%s' is not a path: %s".formatted(location, e.getReason()));
        }
      }
      resolved.add(out);
    }
    return resolved;
  }

  /**
   * The deployment that migrated the database last: its release's migrations reach the schema the
   * database has now, even when its rollout failed afterwards (schema is never rolled back).
   */
  private static Optional<Deployment> lastMigrated(Ledger ledger, String app, String environment) {
    for (Deployment d : ledger.deployments(app, environment, HISTORY)) {
      if (d.schemaVersion() != null) {
        return Optional.of(d);
      }
    }
    return ledger.lastSucceeded(app, environment, null);
  }

  private static String substitute(
      String text, String location, String name, String value, String app, String environment)
      throws BackupException {
    String placeholder = "{" + name + "}";
    if (!text.contains(placeholder)) {
      return text;
    }
    if (value == null || value.isEmpty()) {
      throw new BackupException(
          ("migration location '%s' uses %s, but no deployment of %s/%s with a %s has migrated the"
                  + " database yet: deploy once before backing up, so that a restore knows which"
                  + " migrations rebuild the schema")
              .formatted(location, placeholder, app, environment, name));
    }
    return text.replace(placeholder, value);
  }
}
