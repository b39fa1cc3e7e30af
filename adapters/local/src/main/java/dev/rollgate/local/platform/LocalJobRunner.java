package dev.rollgate.local.platform;

import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.PlatformException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local platform's job runner: a release's {@code job:} migration ({@code alembic upgrade
 * head}-style) run as a process in the manifest's directory, with the stated environment revisions
 * get ({@link RevisionEnvironment}: no host secrets) plus the job's {@code env}, bounded by its
 * {@code timeout}.
 *
 * <ul>
 *   <li>exit 0: migrated; the job cannot tell its schema version, so none is reported;
 *   <li>any other exit code: a FAILURE naming the code and the last {@value #TAIL} lines of its
 *       output (the deployment FAILS, the service untouched);
 *   <li>still running at the timeout: its process tree is killed, and it is a FAILURE too (the
 *       release's job did not finish in the time it was given);
 *   <li>a deployment whose job already exited 0 does not run it again (applied 0); a job cut off by
 *       a crash of the host runs again, as migration tools are idempotent.
 * </ul>
 *
 * Each run's output is kept under {@code <stateDir>/<service>/<deployment>.log}.
 */
public final class LocalJobRunner implements MigrationRunner {

  /** How many lines of output a failure shows. */
  static final int TAIL = 20;

  private static final Logger LOG = Logger.getLogger(LocalJobRunner.class.getName());
  private static final Duration KILL_GRACE = Duration.ofSeconds(5);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]*)}");
  private static final Set<String> PLACEHOLDERS =
      Set.of("java", "image", "tag", "digest", "deployment");

  private final Path stateDir;
  private final Map<String, String> hostEnvironment;

  /**
   * @param stateDir where the jobs' logs and completion marks live
   * @param hostEnvironment the host's environment, of which a job gets only what {@link
   *     RevisionEnvironment} states
   */
  public LocalJobRunner(Path stateDir, Map<String, String> hostEnvironment) {
    this.stateDir = stateDir.toAbsolutePath();
    this.hostEnvironment = Map.copyOf(hostEnvironment);
  }

  @Override
  public String tool() {
    return MigrationSpec.JOB;
  }

  @Override
  public String platform() {
    return ProcessPlatform.NAME;
  }

  @Override
  public List<String> validate(MigrationSpec spec, TargetSpec target, String path) {
    List<String> problems = new ArrayList<>();
    List<String> line = spec.commandLine();
    for (int i = 0; i < line.size(); i++) {
      String at =
          i < spec.command().size()
              ? path + ".command[" + i + "]"
              : path + ".args[" + (i - spec.command().size()) + "]";
      Matcher m = PLACEHOLDER.matcher(line.get(i));
      while (m.find()) {
        if (!PLACEHOLDERS.contains(m.group(1))) {
          problems.add(
              at
                  + ": unknown placeholder '"
                  + m.group()
                  + "': use {java}, {image}, {tag}, {digest} or {deployment}");
        }
      }
    }
    for (String name : spec.env().keySet()) {
      if (!RevisionEnvironment.NAME.matcher(name).matches()) {
        problems.add(
            path
                + ".env."
                + name
                + ": not a variable name: use letters, digits and '_', not starting with a digit");
      } else if (RevisionEnvironment.reserved(name)) {
        problems.add(
            path
                + ".env."
                + name
                + ": rollgate sets PORT and ROLLGATE_* itself; choose another name");
      }
    }
    return problems;
  }

  @Override
  public Result migrate(MigrationSpec spec, Context context) throws MigrationException {
    LocalTarget target = target(context);
    Path log =
        stateDir.resolve(target.service()).resolve(fileName(context.deploymentId()) + ".log");
    Path done = log.resolveSibling(fileName(context.deploymentId()) + ".done");
    if (Files.exists(done)) {
      LOG.info(() -> "local job of " + context.deploymentId() + " exited 0 before; not run again");
      return new Result(null, 0);
    }
    List<String> command = expand(spec.commandLine(), context.image(), context.deploymentId());
    Path workDir = context.baseDir() == null ? Path.of("").toAbsolutePath() : context.baseDir();
    Map<String, String> env =
        RevisionEnvironment.forJob(
            hostEnvironment, target.env(), spec.env(), context.deploymentId(), context.image());
    Process process;
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().clear();
      builder.environment().putAll(env);
      process = builder.start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw MigrationException.configuration(
          "local job %s cannot start in %s: %s; check migrations.job.command"
              .formatted(command, workDir, e.getMessage()));
    }
    int exit = await(process, spec.timeout(), command, log);
    if (exit != 0) {
      throw new MigrationException(
          "local job %s exited with code %d; last lines of its output:%n%s"
              .formatted(command, exit, tail(log)),
          true,
          null);
    }
    try {
      Files.writeString(done, "exit 0\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.warning(() -> "cannot mark " + done + " done; a re-run runs the job again: " + e);
    }
    return new Result(null, 1);
  }

  private static int await(Process process, Duration timeout, List<String> command, Path log)
      throws MigrationException {
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
      kill(process);
      throw new MigrationException(
          "local job %s still ran after its timeout of %s and was stopped; raise migrations.job.timeout or make it faster; last lines of its output:%n%s"
              .formatted(command, timeout, tail(log)),
          true,
          null);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new MigrationException("local job " + command + " interrupted; stopped it", false, e);
    }
  }

  /** Ends the job and everything it started: TERM, then KILL after a grace period. */
  private static void kill(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static LocalTarget target(Context context) throws MigrationException {
    TargetSpec target = context.target();
    if (target == null || !ProcessPlatform.NAME.equals(target.platform())) {
      throw MigrationException.configuration(
          "local job: %s/%s has %s; a local job runs on a local target"
              .formatted(
                  context.app(),
                  context.environment(),
                  target == null ? "no target" : "platform '" + target.platform() + "'"));
    }
    try {
      return LocalTarget.of(target);
    } catch (PlatformException e) {
      throw MigrationException.configuration(e.getMessage());
    }
  }

  private static List<String> expand(List<String> words, ImageRef image, String deploymentId)
      throws MigrationException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> out = new ArrayList<>();
    for (String word : words) {
      if (word.contains("{tag}") && image.tag() == null) {
        throw MigrationException.configuration(
            "migrations.job uses {tag} but " + image.pinned() + " was pushed without a tag");
      }
      Matcher m = PLACEHOLDER.matcher(word);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        String value =
            switch (m.group(1)) {
              case "java" -> java;
              case "image" -> image.pinned();
              case "tag" -> image.tag();
              case "digest" -> image.digest() == null ? "" : image.digest();
              case "deployment" -> deploymentId;
              default -> m.group();
            };
        m.appendReplacement(b, Matcher.quoteReplacement(value));
      }
      m.appendTail(b);
      out.add(b.toString());
    }
    return out;
  }

  /** The last {@value #TAIL} lines of the job's output. */
  static String tail(Path log) {
    try {
      List<String> lines =
          new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
      List<String> last = lines.subList(Math.max(0, lines.size() - TAIL), lines.size());
      return last.isEmpty() ? "(no output)" : String.join("\n", last);
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }

  private static String fileName(String deploymentId) {
    return deploymentId.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
