package dev.rollgate.core.port;

import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import java.nio.file.Path;
import java.util.List;

/** Brings an app's database to the schema a release needs, before the service is touched. */
public interface MigrationRunner {

  /**
   * The tool this runner implements, as the manifest names it: {@code flyway}, or {@link
   * MigrationSpec#JOB} for a runner of one-off jobs on {@link #platform()}.
   */
  String tool();

  /**
   * For a job runner, the platform whose targets it runs jobs on ({@code target.platform}: {@code
   * local}, {@code ecs}, ...): a {@code job:} migration runs on the environment's own platform.
   * Null for a tool that runs in process (Flyway).
   */
  default String platform() {
    return null;
  }

  /**
   * Problems with {@code spec}'s settings for {@code target} that only this runner can see (a
   * placeholder it does not know, a variable name its platform refuses), each naming its path under
   * {@code path} ({@code apps[0].environments.staging.migrations.job}); empty when valid.
   */
  default List<String> validate(MigrationSpec spec, TargetSpec target, String path) {
    return List.of();
  }

  /**
   * Migrates. Idempotent: running it again for the same release applies nothing new.
   *
   * @throws MigrationException when the migration failed (the deployment FAILS) or could not be
   *     attempted (a technical fault, retried)
   */
  Result migrate(MigrationSpec spec, Context context) throws MigrationException;

  /**
   * What {@link #migrate} would apply for this release, read without applying anything (a plan).
   * The default cannot say.
   */
  default Pending pending(MigrationSpec spec, Context context) {
    return Pending.unknown(
        spec.isJob()
            ? "the job runs: " + String.join(" ", spec.commandLine())
            : tool() + " cannot list pending migrations without running them");
  }

  /**
   * Migrations a release would apply.
   *
   * @param known false when the runner cannot say ({@link #detail()} says why)
   * @param current the schema version now, null for an empty history or when unknown
   * @param migrations the pending migrations, oldest first ({@code 3 add orders index
   *     (V3__add_orders_index.sql)})
   */
  record Pending(boolean known, String current, List<String> migrations, String detail) {

    public Pending {
      migrations = migrations == null ? List.of() : List.copyOf(migrations);
    }

    public static Pending unknown(String detail) {
      return new Pending(false, null, List.of(), detail);
    }
  }

  /**
   * What the runner needs to know about the release.
   *
   * @param target the environment's target (where a job runs), so no runner reads the manifest
   */
  record Context(
      String app,
      String environment,
      String deploymentId,
      ImageRef image,
      Path baseDir,
      SecretResolver secrets,
      TargetSpec target) {}

  /**
   * @param schemaVersion the schema version after the migration, or null for an empty history
   * @param applied how many migrations this call applied
   */
  record Result(String schemaVersion, int applied) {}

  /** Why a migration did not happen. */
  enum Cause {
    /** The migration itself failed (bad SQL, validation): the release is bad; no retry. */
    FAILURE,
    /** A technical fault (the database unreachable): retried, then ERRORED. */
    FAULT,
    /**
     * rollgate's configuration is wrong (a {@code {tag}} the release lacks, a secret that is not
     * set or has an unknown scheme): no retry, ERRORED, and the release is not known-bad for it.
     */
    CONFIGURATION
  }

  /** A migration failed; {@link #cause()} says whether the tool, a fault or the setup said no. */
  class MigrationException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Cause why;

    public MigrationException(String message, boolean failure, Throwable cause) {
      this(message, failure ? Cause.FAILURE : Cause.FAULT, cause);
    }

    public MigrationException(String message, Cause why, Throwable cause) {
      super(message, cause);
      this.why = why;
    }

    /** A configuration problem: the release is not to blame. */
    public static MigrationException configuration(String message) {
      return new MigrationException(message, Cause.CONFIGURATION, null);
    }

    /** True when the migration itself failed (bad SQL, validation): trying again will not help. */
    public boolean failure() {
      return why == Cause.FAILURE;
    }

    /** True when rollgate's configuration is at fault: trying again will not help either. */
    public boolean configuration() {
      return why == Cause.CONFIGURATION;
    }

    public Cause why() {
      return why;
    }
  }
}
