package dev.rollgate.core.backup;

import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.Ledger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves the migration locations that rebuild a database's schema: the placeholders ({@code
 * {tag}}, ...) take the values of the release that brought the schema to its version, relative
 * filesystem paths become absolute, so that a restore finds the same migrations.
 *
 * <p>That release is found in the ledger's history, not taken from what migrated last: after a
 * release migrated and was rolled back, and an older release was deployed again on the schema it
 * left, only the rolled-back release's migrations reach that schema (schema is never rolled back).
 */
final class SchemaLocations {

  private static final String FILESYSTEM = "filesystem:";

  /** How many deployments, newest first, are searched for the one that reached a version. */
  static final int HISTORY = 500;

  /**
   * The release whose migrations rebuild a schema version.
   *
   * @param deployment the deployment that brought the schema to that version
   * @param locations its migration locations, resolved
   */
  record Choice(Deployment deployment, List<String> locations) {

    /** For people: {@code release v3 (deployment 1234, ROLLED_BACK)}. */
    String describe() {
      String tag = deployment.image().tag();
      return "release %s (deployment %s, %s)"
          .formatted(
              tag == null ? deployment.image().digest() : tag, deployment.id(), deployment.phase());
    }
  }

  private SchemaLocations() {}

  /**
   * For a backup about to be taken: the locations that rebuild the schema version the ledger last
   * saw the database at, with the values of the release that brought it there (or of the last
   * release that succeeded when no deployment recorded a version).
   */
  static List<String> resolve(
      MigrationSpec spec, Path baseDir, String app, String environment, Ledger ledger)
      throws BackupException {
    List<Deployment> history = ledger.deployments(app, environment, HISTORY);
    String current =
        history.stream()
            .map(Deployment::schemaVersion)
            .filter(v -> v != null)
            .findFirst()
            .orElse(null);
    Optional<Deployment> from = current == null ? Optional.empty() : broughtTo(history, current);
    if (from.isEmpty()) {
      from = ledger.lastSucceeded(app, environment, null);
    }
    return locations(spec, baseDir, app, environment, from.map(Deployment::image).orElse(null));
  }

  /**
   * For a backup taken at {@code version}: the release that brought the schema to it and its
   * locations, or empty when no deployment in the ledger's history left that version.
   */
  static Optional<Choice> forVersion(
      MigrationSpec spec,
      Path baseDir,
      String app,
      String environment,
      Ledger ledger,
      String version)
      throws BackupException {
    if (version == null) {
      return Optional.empty();
    }
    Optional<Deployment> from = broughtTo(ledger.deployments(app, environment, HISTORY), version);
    if (from.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Choice(from.get(), locations(spec, baseDir, app, environment, from.get().image())));
  }

  /**
   * The release whose migrations reach {@code version}: in the newest run of deployments that left
   * that version (FAILED and ROLLED_BACK ones included: they migrated too), the newest one that is
   * not a release deployed before the run began. An older release deployed again on a newer schema
   * leaves that version too, applying nothing, and its migrations stop below it.
   */
  static Optional<Deployment> broughtTo(List<Deployment> newestFirst, String version) {
    int origin = -1;
    for (int i = 0; i < newestFirst.size(); i++) {
      String left = newestFirst.get(i).schemaVersion();
      if (left == null) {
        continue; // it never migrated (refused, superseded, failed before its migration)
      }
      if (sameVersion(left, version)) {
        origin = i;
      } else if (origin >= 0) {
        break; // the deployment before it left another version: origin migrated to this one
      }
    }
    if (origin < 0) {
      return Optional.empty();
    }
    Set<String> earlier = new HashSet<>();
    for (Deployment d : newestFirst.subList(origin + 1, newestFirst.size())) {
      earlier.add(d.image().digest());
      if (d.image().tag() != null) {
        earlier.add(d.image().tag());
      }
    }
    for (Deployment d : newestFirst.subList(0, origin + 1)) {
      boolean redeployed =
          earlier.contains(d.image().digest())
              || (d.image().tag() != null && earlier.contains(d.image().tag()));
      if (d.schemaVersion() != null && sameVersion(d.schemaVersion(), version) && !redeployed) {
        return Optional.of(d);
      }
    }
    return Optional.of(newestFirst.get(origin));
  }

  /** Flyway versions: {@code 3}, {@code 3.0} and {@code 03} are the same version. */
  static boolean sameVersion(String a, String b) {
    return normal(a).equals(normal(b));
  }

  private static String normal(String version) {
    List<String> parts = new ArrayList<>();
    for (String p : version.strip().replace('_', '.').split("\\.")) {
      parts.add(p.replaceFirst("^0+(?=.)", ""));
    }
    while (parts.size() > 1 && parts.get(parts.size() - 1).equals("0")) {
      parts.remove(parts.size() - 1);
    }
    return String.join(".", parts);
  }

  private static List<String> locations(
      MigrationSpec spec, Path baseDir, String app, String environment, ImageRef image)
      throws BackupException {
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
