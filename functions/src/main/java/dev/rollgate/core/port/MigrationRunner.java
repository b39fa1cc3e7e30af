package dev.rollgate.core.port;

import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.model.ImageRef;
import java.nio.file.Path;

/** Brings an app's database to the schema a release needs, before the service is touched. */
public interface MigrationRunner {

  /** The tool this runner implements, as the manifest names it ({@code flyway}, ...). */
  String tool();

  /**
   * Migrates. Idempotent: running it again for the same release applies nothing new.
   *
   * @throws MigrationException when the migration failed (the deployment FAILS) or could not be
   *     attempted (a technical fault, retried)
   */
  Result migrate(MigrationSpec spec, Context context) throws MigrationException;

  /** What the runner needs to know about the release. */
  record Context(
      String app,
      String environment,
      String deploymentId,
      ImageRef image,
      Path baseDir,
      SecretResolver secrets) {}

  /**
   * @param schemaVersion the schema version after the migration, or null for an empty history
   * @param applied how many migrations this call applied
   */
  record Result(String schemaVersion, int applied) {}

  /** A migration failed; {@code failure} distinguishes "the tool said no" from a fault. */
  class MigrationException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean failure;

    public MigrationException(String message, boolean failure, Throwable cause) {
      super(message, cause);
      this.failure = failure;
    }

    /** True when the migration itself failed (bad SQL, validation): trying again will not help. */
    public boolean failure() {
      return failure;
    }
  }
}
