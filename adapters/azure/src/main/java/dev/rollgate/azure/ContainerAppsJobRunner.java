package dev.rollgate.azure;

import com.azure.resourcemanager.appcontainers.fluent.models.JobExecutionInner;
import com.azure.resourcemanager.appcontainers.fluent.models.JobInner;
import com.azure.resourcemanager.appcontainers.models.BaseContainer;
import com.azure.resourcemanager.appcontainers.models.Container;
import com.azure.resourcemanager.appcontainers.models.EnvironmentVar;
import com.azure.resourcemanager.appcontainers.models.JobExecutionContainer;
import com.azure.resourcemanager.appcontainers.models.JobExecutionRunningState;
import com.azure.resourcemanager.appcontainers.models.JobExecutionTemplate;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.PlatformException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * {@code job:} migrations on {@code platform: containerapps}, as a Container Apps job ({@code
 * target.job}, trigger type Manual). The job is started with a template: Container Apps replaces
 * the job's whole template with it for that execution, so every container and init container of the
 * job is carried over (image, command, args, env, resources), the named one (or the only one) with
 * the release's image pinned by digest, the manifest's command and args, its env added, and one
 * variable, {@value #DEPLOYMENT_ENV}, naming the deployment. The execution is awaited; success only
 * on Succeeded; a failure names the execution's status and where its logs are. A retried step finds
 * its execution by that variable and waits for it instead of starting a second one.
 */
final class ContainerAppsJobRunner implements MigrationRunner {

  /** The variable naming the deployment an execution runs for. */
  static final String DEPLOYMENT_ENV = "ROLLGATE_DEPLOYMENT";

  private static final Logger LOG = Logger.getLogger(ContainerAppsJobRunner.class.getName());
  private static final Set<String> ENDED = Set.of("Succeeded", "Failed", "Stopped", "Degraded");

  private final ContainerAppsApi api;
  private final AzureFaults faults;
  private final Clock clock;

  ContainerAppsJobRunner(ContainerAppsApi api, AzureFaults faults, Clock clock) {
    this.api = api;
    this.faults = faults;
    this.clock = clock;
  }

  @Override
  public String tool() {
    return MigrationSpec.JOB;
  }

  @Override
  public String platform() {
    return ContainerAppsPlatform.NAME;
  }

  @Override
  public List<String> validate(MigrationSpec spec, TargetSpec target, String path) {
    List<String> problems = new ArrayList<>();
    if (target.get("job") == null) {
      problems.add(
          target.path()
              + ".job: missing: the Container Apps job that runs this environment's migrations,"
              + " e.g. 'job: shop-migrate' ("
              + path
              + " needs it)");
    }
    problems.addAll(
        spec.containerJobProblems(path, "a Container Apps job replaces no placeholders"));
    return problems;
  }

  @Override
  public Result migrate(MigrationSpec spec, Context context) throws MigrationException {
    TargetSpec target = context.target();
    if (target == null || !ContainerAppsPlatform.NAME.equals(target.platform())) {
      throw MigrationException.configuration(
          "containerapps job: %s/%s has %s; a containerapps job runs on a containerapps target"
              .formatted(
                  context.app(),
                  context.environment(),
                  target == null ? "no target" : "platform '" + target.platform() + "'"));
    }
    try {
      ContainerAppsTarget t = ContainerAppsTarget.of(target, api.settings().subscription());
      if (t.job() == null) {
        throw MigrationException.configuration(
            "containerapps job: " + target.path() + ".job: missing: name the Container Apps job");
      }
      boolean[] started = {false};
      String execution =
          faults.retrying(
              "migration job of " + context.app() + "/" + context.environment(),
              () -> findOrStart(t, spec, context, started));
      JobExecutionInner done = await(t, execution, spec);
      String status = status(done);
      if (status.equals("Succeeded")) {
        return new Result(null, started[0] ? 1 : 0);
      }
      throw new MigrationException(failure(t, done, spec, status), true, null);
    } catch (PlatformException e) {
      throw new MigrationException(
          "containerapps job: " + e.getMessage(),
          e.retryable() ? MigrationRunner.Cause.FAULT : MigrationRunner.Cause.CONFIGURATION,
          e);
    }
  }

  /** The execution this deployment started before, or a new one. */
  private String findOrStart(
      ContainerAppsTarget t, MigrationSpec spec, Context context, boolean[] started)
      throws PlatformException {
    for (JobExecutionInner e : api.executions(t)) {
      if (context.deploymentId().equals(marker(e))) {
        LOG.info(() -> "containerapps job: waiting again for " + e.name());
        return e.name();
      }
    }
    JobInner job = api.job(t);
    List<Container> containers = job.template().containers();
    int index = RevisionSuffixes.containerIndex(containers, t.container(), t.describeJob());
    List<JobExecutionContainer> run = new ArrayList<>();
    for (int i = 0; i < containers.size(); i++) {
      JobExecutionContainer c = copy(containers.get(i));
      if (i == index) {
        c.withImage(context.image().pinned());
        if (!spec.command().isEmpty()) {
          c.withCommand(spec.command());
        }
        c.withArgs(spec.args().isEmpty() ? null : spec.args());
        List<EnvironmentVar> env = new ArrayList<>(c.env() == null ? List.of() : c.env());
        env.removeIf(v -> spec.env().containsKey(v.name()) || DEPLOYMENT_ENV.equals(v.name()));
        spec.env().forEach((k, v) -> env.add(new EnvironmentVar().withName(k).withValue(v)));
        env.add(new EnvironmentVar().withName(DEPLOYMENT_ENV).withValue(context.deploymentId()));
        c.withEnv(env);
      }
      run.add(c);
    }
    JobExecutionTemplate template = new JobExecutionTemplate().withContainers(run);
    if (job.template().initContainers() != null && !job.template().initContainers().isEmpty()) {
      template.withInitContainers(
          job.template().initContainers().stream().map(ContainerAppsJobRunner::copy).toList());
    }
    String name = api.start(t, template);
    started[0] = true;
    LOG.info(() -> "containerapps job: started %s of %s".formatted(name, context.image().pinned()));
    return name;
  }

  /** Polls the execution until it ended; past the migration's timeout, stops it. */
  private JobExecutionInner await(ContainerAppsTarget t, String name, MigrationSpec spec)
      throws PlatformException, MigrationException {
    Instant deadline = clock.now().plus(api.settings().jobTimeout());
    while (true) {
      JobExecutionInner e =
          faults.retrying("reading execution " + name, () -> api.execution(t, name));
      if (ENDED.contains(status(e))) {
        return e;
      }
      Instant started = e.startTime() == null ? null : e.startTime().toInstant();
      Instant now = clock.now();
      if (started != null
          && !now.isBefore(started.plus(spec.timeout()).plus(api.settings().operationPoll()))) {
        faults.retrying(
            "stopping execution " + name,
            () -> {
              api.stop(t, name);
              return null;
            });
        throw new MigrationException(
            "containerapps job: execution %s of %s (%s) ran past its timeout of %ds"
                    .formatted(
                        name,
                        t.describeJob(),
                        String.join(" ", spec.commandLine()),
                        spec.timeout().toSeconds())
                + " (migrations.job.timeout) and was stopped; logs: "
                + logs(t, name),
            true,
            null);
      }
      if (!now.isBefore(deadline)) {
        throw new PlatformException(
            "azure: execution %s of %s is still %s after %s (rollgate.azure.job-timeout); will wait for it again"
                .formatted(name, t.describeJob(), status(e), api.settings().jobTimeout()),
            true);
      }
      try {
        clock.pause(api.settings().operationPoll());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new PlatformException("azure: interrupted while waiting for " + name, true, ie);
      }
    }
  }

  private static String failure(
      ContainerAppsTarget t, JobExecutionInner e, MigrationSpec spec, String status) {
    return ("containerapps job: execution %s of %s (%s) ended %s (started %s, ended %s); the"
            + " Container Apps API keeps no exit code or output: see its logs: %s; fix the"
            + " migration, push a new image")
        .formatted(
            e.name(),
            t.describeJob(),
            String.join(" ", spec.commandLine()),
            status,
            e.startTime(),
            e.endTime(),
            logs(t, e.name()));
  }

  /** Where an execution's output is: its page in the portal, and the Log Analytics table. */
  static String logs(ContainerAppsTarget t, String execution) {
    return "https://portal.azure.com/#resource%s/executionHistory (Log Analytics:"
            .formatted(t.jobId())
        + " ContainerAppConsoleLogs_CL | where ContainerGroupName_s startswith '"
        + execution
        + "')";
  }

  private static String status(JobExecutionInner e) {
    JobExecutionRunningState s = e.status();
    return s == null ? "Unknown" : s.toString();
  }

  /** The deployment an execution ran for, from its template's {@value #DEPLOYMENT_ENV}. */
  private static String marker(JobExecutionInner e) {
    if (e.template() == null || e.template().containers() == null) {
      return null;
    }
    for (JobExecutionContainer c : e.template().containers()) {
      for (EnvironmentVar v : c.env() == null ? List.<EnvironmentVar>of() : c.env()) {
        if (DEPLOYMENT_ENV.equals(v.name())) {
          return v.value();
        }
      }
    }
    return null;
  }

  private static JobExecutionContainer copy(BaseContainer c) {
    return new JobExecutionContainer()
        .withName(c.name())
        .withImage(c.image())
        .withCommand(c.command())
        .withArgs(c.args())
        .withEnv(c.env() == null ? null : new ArrayList<>(c.env()))
        .withResources(c.resources());
  }
}
