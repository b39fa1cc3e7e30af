package dev.rollgate.core.backup;

import dev.rollgate.core.manifest.AppSpec;
import dev.rollgate.core.manifest.BackupSpec;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.BackupException;
import dev.rollgate.core.port.SecretResolver;
import java.util.Optional;

/** Finds an environment's backup settings in the manifest and resolves its database secret. */
final class Targets {

  /** An app and environment with backup settings. */
  record Target(AppSpec app, EnvironmentSpec env, BackupSpec spec) {}

  private Targets() {}

  static Target find(Manifest manifest, String app, String environment) {
    AppSpec a =
        manifest
            .app(app)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown app '%s'; the manifest has %s"
                            .formatted(app, manifest.apps().stream().map(AppSpec::name).toList())));
    EnvironmentSpec env =
        a.environment(environment)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown environment '%s' of app %s; it has %s"
                            .formatted(
                                environment,
                                app,
                                a.environments().stream().map(EnvironmentSpec::name).toList())));
    if (env.backup() == null) {
      throw new IllegalArgumentException(
          ("%s/%s has no backup settings; add apps[].environments.%s.backup (database, schedule,"
                  + " retention, rpo) to the manifest")
              .formatted(app, environment, environment));
    }
    return new Target(a, env, env.backup());
  }

  static String jdbcUrl(SecretResolver secrets, SecretRef ref) throws BackupException {
    Optional<String> value;
    try {
      value = secrets.resolve(ref);
    } catch (RuntimeException e) {
      throw new BackupException(
          "backup.database: could not read secret '%s' (%s)"
              .formatted(ref, e.getClass().getSimpleName()));
    }
    String url = value.map(String::trim).orElse("");
    if (!url.startsWith("jdbc:")) {
      throw new BackupException(
          ("backup.database: secret '%s' %s; it must hold the database's JDBC URL, e.g."
                  + " jdbc:postgresql://host/db?user=...")
              .formatted(ref, value.isEmpty() ? "is not set" : "holds no JDBC URL"));
    }
    return url;
  }
}
