package dev.rollgate.core.manifest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to bring the database to a release's schema: Flyway in process, or a one-off job of the
 * release's image on the environment's own platform ({@code target.platform} chooses the runner).
 *
 * @param tool {@link #FLYWAY} (in process) or {@link #JOB} (a one-off run on the target's platform)
 * @param locations Flyway locations ({@code scheme:rest}: {@code classpath:}, {@code filesystem:},
 *     and the schemes the installed adapters register); {@code {tag}} is replaced by the image tag,
 *     relative filesystem paths are resolved against the manifest's directory; empty for a job
 * @param database reference to the secret holding the JDBC URL of the app's database (Flyway); null
 *     for a job, whose image knows its database
 * @param command the job's command, e.g. {@code [alembic, upgrade, head]}; empty for Flyway
 * @param args the job's arguments, appended to {@code command}
 * @param env variables added to the job's environment, literal values
 * @param timeout how long the job may run before it is stopped and the deployment fails
 */
public record MigrationSpec(
    String tool,
    List<String> locations,
    SecretRef database,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    Duration timeout) {

  /** The in-process Flyway runner's tool name. */
  public static final String FLYWAY = "flyway";

  /** A one-off job on the target's platform. */
  public static final String JOB = "job";

  /** How long a job may run when the manifest does not say. */
  public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(10);

  public MigrationSpec {
    locations = List.copyOf(locations);
    command = command == null ? List.of() : List.copyOf(command);
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? Map.of() : Map.copyOf(new TreeMap<>(env));
    timeout = timeout == null ? DEFAULT_JOB_TIMEOUT : timeout;
  }

  /** A Flyway migration. */
  public MigrationSpec(String tool, List<String> locations, SecretRef database) {
    this(tool, locations, database, List.of(), List.of(), Map.of(), null);
  }

  /** A one-off job of the release's image running {@code command} then {@code args}. */
  public static MigrationSpec job(
      List<String> command, List<String> args, Map<String, String> env, Duration timeout) {
    return new MigrationSpec(JOB, List.of(), null, command, args, env, timeout);
  }

  /** A one-off job running {@code command}, no arguments, no variables, the default timeout. */
  public static MigrationSpec job(List<String> command) {
    return job(command, List.of(), Map.of(), null);
  }

  /** Whether this is a one-off job on the target's platform. */
  public boolean isJob() {
    return JOB.equals(tool);
  }

  /** The job's whole command line: {@code command} then {@code args}. */
  public List<String> commandLine() {
    List<String> line = new java.util.ArrayList<>(command);
    line.addAll(args);
    return List.copyOf(line);
  }

  /**
   * Problems of a {@code job:} migration that runs in the release's own container (an ECS task, a
   * Cloud Run job): nothing there replaces placeholders, and env names must be variable names. Each
   * problem names its path under {@code path}; {@code why} says why placeholders stay as written,
   * e.g. "an ecs job runs the release's own task definition and replaces no placeholders".
   */
  public List<String> containerJobProblems(String path, String why) {
    List<String> problems = new java.util.ArrayList<>();
    List<String> line = commandLine();
    for (int i = 0; i < line.size(); i++) {
      if (CONTAINER_PLACEHOLDER.matcher(line.get(i)).find()) {
        String at =
            i < command().size()
                ? path + ".command[" + i + "]"
                : path + ".args[" + (i - command().size()) + "]";
        problems.add(
            at
                + ": '"
                + line.get(i)
                + "': "
                + why
                + "; the container knows its image (pass values through env)");
      }
    }
    for (String name : env().keySet()) {
      if (!ENV_NAME.matcher(name).matches()) {
        problems.add(
            path
                + ".env."
                + name
                + ": not a variable name: use letters, digits and '_', not starting with a digit");
      }
    }
    return problems;
  }

  private static final java.util.regex.Pattern CONTAINER_PLACEHOLDER =
      java.util.regex.Pattern.compile("\\{[a-zA-Z]*}");
  private static final java.util.regex.Pattern ENV_NAME =
      java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
}
