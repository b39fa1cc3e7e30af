package dev.rollgate.gcp;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionTemplate;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.RunJobRequest.Overrides;
import com.google.cloud.run.v2.TaskTemplate;
import com.google.protobuf.Timestamp;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.PlatformException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * {@code job:} migrations on {@code platform: cloudrun}, as a Cloud Run job ({@code target.job}).
 * RunJob cannot override the image, so the job's template is first updated to the release's image,
 * pinned by digest, with the etag it was read with and every other field kept, plus one label,
 * {@value #DEPLOYMENT_LABEL}, that the execution inherits; then the job runs with the migration's
 * args, env and timeout as overrides, and its execution is awaited. RunJob overrides args, not the
 * command: the manifest's {@code command} must be the job container's own command (else a
 * configuration error says so), and {@code args} are passed as the override. Success only when
 * every task succeeded; a failure names the execution's reason, the failed task's exit code and the
 * execution's log URI. A retried step finds its execution by the label and waits for it instead of
 * starting a second one.
 */
final class CloudRunJobRunner implements MigrationRunner {

  /** The label naming the deployment a job's execution runs for. */
  static final String DEPLOYMENT_LABEL = "rollgate-deployment";

  private static final Logger LOG = Logger.getLogger(CloudRunJobRunner.class.getName());
  private static final Pattern LABEL_VALUE = Pattern.compile("[a-z0-9_-]{1,63}");

  private final CloudRunJobs api;
  private final GcpFaults faults;
  private final Clock clock;
  private final GcpSettings settings;

  CloudRunJobRunner(CloudRunJobs api, GcpFaults faults, Clock clock, GcpSettings settings) {
    this.api = api;
    this.faults = faults;
    this.clock = clock;
    this.settings = settings;
  }

  @Override
  public String tool() {
    return MigrationSpec.JOB;
  }

  @Override
  public String platform() {
    return CloudRunPlatform.NAME;
  }

  @Override
  public List<String> validate(MigrationSpec spec, TargetSpec target, String path) {
    List<String> problems = new ArrayList<>();
    if (target.get("job") == null) {
      problems.add(
          target.path()
              + ".job: missing: the Cloud Run job that runs this environment's"
              + " migrations, e.g. 'job: shop-migrate' ("
              + path
              + " needs it)");
    }
    problems.addAll(spec.containerJobProblems(path, "a Cloud Run job replaces no placeholders"));
    return problems;
  }

  @Override
  public Result migrate(MigrationSpec spec, Context context) throws MigrationException {
    TargetSpec target = context.target();
    if (target == null || !CloudRunPlatform.NAME.equals(target.platform())) {
      throw MigrationException.configuration(
          "cloudrun job: %s/%s has %s; a cloudrun job runs on a cloudrun target"
              .formatted(
                  context.app(),
                  context.environment(),
                  target == null ? "no target" : "platform '" + target.platform() + "'"));
    }
    try {
      CloudRunTarget t = CloudRunTarget.of(target, settings.project());
      if (t.job() == null) {
        throw MigrationException.configuration(
            "cloudrun job: " + target.path() + ".job: missing: name the Cloud Run job to run");
      }
      String label = label(context.deploymentId());
      boolean[] started = {false};
      String execution =
          faults.retrying(
              "migration job of " + context.app() + "/" + context.environment(),
              () -> findOrRun(t, spec, context, label, started));
      Execution done = await(t, execution, spec);
      return result(t, done, spec, started[0]);
    } catch (ConfigurationError e) {
      throw MigrationException.configuration("cloudrun job: " + e.getMessage());
    } catch (PlatformException e) {
      throw new MigrationException("cloudrun job: " + e.getMessage(), !e.retryable(), e);
    }
  }

  /** The execution this deployment started before, or a new one. */
  private String findOrRun(
      CloudRunTarget t, MigrationSpec spec, Context context, String label, boolean[] started)
      throws PlatformException {
    for (Execution e : api.executions(t)) {
      if (label.equals(e.getLabelsMap().get(DEPLOYMENT_LABEL))) {
        LOG.info(() -> "cloudrun job: waiting again for " + e.getName());
        return e.getName();
      }
    }
    Job job = api.job(t);
    TaskTemplate tasks = job.getTemplate().getTemplate();
    int index =
        ReleaseTemplates.containerIndex(tasks.getContainersList(), t.container(), t.describeJob());
    Container container = tasks.getContainers(index);
    if (!container.getCommandList().equals(spec.command())) {
      throw new ConfigurationError(
          ("%s runs command %s in container '%s', the manifest's job command is %s: RunJob"
                  + " overrides args, not the command; make them the same (gcloud run jobs update"
                  + " --command) and pass the rest as args")
              .formatted(
                  t.describeJob(),
                  container.getCommandList(),
                  container.getName(),
                  spec.command()));
    }
    String image = context.image().pinned();
    if (!image.equals(container.getImage())
        || !label.equals(job.getTemplate().getLabelsMap().get(DEPLOYMENT_LABEL))) {
      ExecutionTemplate.Builder template =
          job.getTemplate().toBuilder().putLabels(DEPLOYMENT_LABEL, label);
      template.setTemplate(
          tasks.toBuilder().setContainers(index, container.toBuilder().setImage(image)));
      api.update(t, job.toBuilder().setTemplate(template).build());
    }
    Overrides.ContainerOverride.Builder o =
        Overrides.ContainerOverride.newBuilder()
            .setName(container.getName())
            .addAllArgs(spec.args());
    o.setClearArgs(spec.args().isEmpty());
    spec.env().forEach((k, v) -> o.addEnv(EnvVar.newBuilder().setName(k).setValue(v)));
    Overrides overrides =
        Overrides.newBuilder()
            .addContainerOverrides(o)
            .setTimeout(
                com.google.protobuf.Duration.newBuilder().setSeconds(spec.timeout().toSeconds()))
            .build();
    String name =
        api.run(t, RunJobRequest.newBuilder().setName(t.jobName()).setOverrides(overrides).build());
    started[0] = true;
    LOG.info(() -> "cloudrun job: started %s of %s".formatted(name, image));
    return name;
  }

  /** Polls the execution until it completed; past the job's timeout, cancels it. */
  private Execution await(CloudRunTarget t, String name, MigrationSpec spec)
      throws PlatformException, MigrationException {
    Instant deadline = clock.now().plus(settings.jobTimeout());
    while (true) {
      Execution e = faults.retrying("GetExecution of " + name, () -> api.execution(name));
      if (e.hasCompletionTime()
          || !e.getReconciling() && ExecutionReport.completed(e).isPresent()) {
        return e;
      }
      Instant created = instant(e.getCreateTime());
      Duration grace = settings.operationPoll().multipliedBy(2).plusSeconds(30);
      if (created != null && !clock.now().isBefore(created.plus(spec.timeout()).plus(grace))) {
        api.cancel(name);
        throw new MigrationException(
            "cloudrun job: execution %s of %s ran past its timeout of %ds (migrations.job.timeout)"
                    .formatted(
                        CloudRunReading.shortName(name),
                        t.describeJob(),
                        spec.timeout().toSeconds())
                + " and was cancelled; logs: "
                + e.getLogUri(),
            true,
            null);
      }
      if (!clock.now().isBefore(deadline)) {
        throw new PlatformException(
            "gcp: execution %s is still running after %s (rollgate.gcp.job-timeout); will wait for it again"
                .formatted(name, settings.jobTimeout()),
            true);
      }
      try {
        clock.pause(settings.operationPoll());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new PlatformException("gcp: interrupted while waiting for " + name, true, ie);
      }
    }
  }

  private Result result(CloudRunTarget t, Execution e, MigrationSpec spec, boolean startedNow)
      throws PlatformException, MigrationException {
    if (e.getTaskCount() > 0 && e.getSucceededCount() == e.getTaskCount()) {
      return new Result(null, startedNow ? 1 : 0);
    }
    throw new MigrationException(
        ExecutionReport.failure(t, e, spec, api.failedTask(e.getName())), true, null);
  }

  /** A label value naming the deployment: the id itself when it fits, else a hash of it. */
  static String label(String deploymentId) {
    return LABEL_VALUE.matcher(deploymentId).matches()
        ? deploymentId
        : "rg-" + ReleaseTemplates.sha256(deploymentId).substring(0, 40);
  }

  private static Instant instant(Timestamp t) {
    return t.getSeconds() == 0 && t.getNanos() == 0
        ? null
        : Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /** A setup problem found while running: no retry, and not the release's fault. */
  private static final class ConfigurationError extends PlatformException {
    private static final long serialVersionUID = 1L;

    ConfigurationError(String message) {
      super(message, false);
    }
  }
}
