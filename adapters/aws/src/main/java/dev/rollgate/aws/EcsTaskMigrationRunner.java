package dev.rollgate.aws;

import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.PlatformException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/**
 * Runs a release's migrations as a one-off ECS task of the release's own task definition (the
 * revision the rollout will use, registered once per deployment) with the job's command in the
 * named container, and waits until it stops: exit code 0 succeeds, anything else fails the
 * deployment with the container's reason. A task this deployment started before is waited for again
 * instead of starting a second one.
 */
final class EcsTaskMigrationRunner implements MigrationRunner {

  private static final Logger LOG = Logger.getLogger(EcsTaskMigrationRunner.class.getName());
  private static final Pattern STARTED_BY = Pattern.compile("[A-Za-z0-9_/-]{1,36}");

  private final EcsApi api;
  private final ReleaseTaskDefinitions releases;
  private final Clock clock;
  private final Duration poll;
  private final Duration timeout;

  /**
   * @param poll how often a running task is looked at
   * @param timeout how long one call waits for the task before it gives up waiting (a fault: the
   *     task runs on, and the next attempt waits for it again)
   */
  EcsTaskMigrationRunner(
      EcsApi api, ReleaseTaskDefinitions releases, Clock clock, Duration poll, Duration timeout) {
    this.api = api;
    this.releases = releases;
    this.clock = clock;
    this.poll = poll;
    this.timeout = timeout;
  }

  @Override
  public String tool() {
    return MigrationSpec.JOB;
  }

  @Override
  public String platform() {
    return EcsPlatform.NAME;
  }

  /**
   * ECS runs the container's command as given: no placeholder is replaced (the task definition is
   * the release's own), and variable names are what a shell can read.
   */
  @Override
  public List<String> validate(MigrationSpec spec, TargetSpec target, String path) {
    return spec.containerJobProblems(
        path, "an ecs job runs the release's own task definition and replaces no placeholders");
  }

  @Override
  public Result migrate(MigrationSpec spec, Context context) throws MigrationException {
    EcsTaskJob job = EcsTaskJob.from(spec);
    if (job.command().isEmpty()) {
      throw new MigrationException(
          "ecs job: no command for the migration job of %s/%s; name it, e.g. [alembic, upgrade, head]"
              .formatted(context.app(), context.environment()),
          true,
          null);
    }
    try {
      EcsTarget t = target(context);
      Service service = api.service(t);
      String taskDefinition = releases.ensure(t, service, context.deploymentId(), context.image());
      String startedBy = startedBy(context.deploymentId());
      List<String> earlier = api.tasksStartedBy(t, startedBy);
      String taskArn;
      if (earlier.isEmpty()) {
        taskArn = run(t, service, taskDefinition, job, context.deploymentId(), startedBy);
      } else {
        taskArn = earlier.get(0);
        LOG.info(() -> "ecs job: waiting again for " + shortId(earlier.get(0)));
      }
      Task stopped = awaitStopped(t, taskArn, job);
      return result(t, stopped, job, earlier.isEmpty());
    } catch (PlatformException e) {
      throw new MigrationException("ecs job: " + e.getMessage(), !e.retryable(), e);
    }
  }

  /** The environment's target, from the context: no runner reads the manifest again. */
  private static EcsTarget target(Context context) throws MigrationException, PlatformException {
    TargetSpec target = context.target();
    if (target == null || !EcsPlatform.NAME.equals(target.platform())) {
      // The engine chooses the job runner by target.platform: another target here is a bug.
      throw MigrationException.configuration(
          "ecs job: %s/%s has %s; an ecs job runs on an ecs target"
              .formatted(
                  context.app(),
                  context.environment(),
                  target == null ? "no target" : "platform '" + target.platform() + "'"));
    }
    return EcsTarget.of(target);
  }

  private String run(
      EcsTarget t,
      Service service,
      String taskDefinition,
      EcsTaskJob job,
      String deploymentId,
      String startedBy)
      throws PlatformException {
    RunTaskRequest.Builder b =
        RunTaskRequest.builder()
            .cluster(t.cluster())
            .taskDefinition(taskDefinition)
            .count(1)
            .startedBy(startedBy)
            .clientToken(clientToken(deploymentId))
            .networkConfiguration(service.networkConfiguration())
            .platformVersion(service.platformVersion())
            .overrides(
                TaskOverride.builder()
                    .containerOverrides(
                        ContainerOverride.builder()
                            .name(t.container())
                            .command(job.command())
                            .environment(
                                job.env().entrySet().stream()
                                    .map(
                                        e ->
                                            KeyValuePair.builder()
                                                .name(e.getKey())
                                                .value(e.getValue())
                                                .build())
                                    .toList())
                            .build())
                    .build())
            .tags(
                Tag.builder()
                    .key(ReleaseTaskDefinitions.DEPLOYMENT_TAG)
                    .value(deploymentId)
                    .build(),
                Tag.builder().key("rollgate:job").value("migration").build());
    // A capacity provider strategy and a launch type exclude each other: take what the service
    // uses.
    if (service.hasCapacityProviderStrategy() && !service.capacityProviderStrategy().isEmpty()) {
      b.capacityProviderStrategy(service.capacityProviderStrategy());
    } else if (service.launchType() != null) {
      b.launchType(service.launchType());
    }
    if (service.hasPlacementConstraints() && !service.placementConstraints().isEmpty()) {
      b.placementConstraints(service.placementConstraints());
    }
    if (service.hasPlacementStrategy() && !service.placementStrategy().isEmpty()) {
      b.placementStrategy(service.placementStrategy());
    }
    RunTaskResponse r = api.runTask(t, b.build());
    if (r.tasks().isEmpty()) {
      String why =
          r.failures().isEmpty()
              ? "no task and no failure reported"
              : r.failures().stream().map(EcsTaskMigrationRunner::failure).toList().toString();
      // Placement failures (capacity, agents) pass; nothing ran, so trying again is safe.
      throw new PlatformException(
          "ecs: RunTask of %s in cluster '%s' started nothing: %s; will retry"
              .formatted(RolloutReading.shortName(taskDefinition), t.cluster(), why),
          true);
    }
    String arn = r.tasks().get(0).taskArn();
    LOG.info(
        () ->
            "ecs job: started %s of %s: %s"
                .formatted(shortId(arn), RolloutReading.shortName(taskDefinition), job.command()));
    return arn;
  }

  private Task awaitStopped(EcsTarget t, String taskArn, EcsTaskJob job)
      throws PlatformException, MigrationException {
    Instant deadline = clock.now().plus(timeout);
    while (true) {
      Optional<Task> task = api.task(t, taskArn);
      if (task.isEmpty()) {
        throw new PlatformException(
            "ecs: migration task %s in cluster '%s' is unknown to ECS (stopped long ago?)"
                .formatted(shortId(taskArn), t.cluster()),
            false);
      }
      if ("STOPPED".equals(task.get().lastStatus())) {
        return task.get();
      }
      Instant created = task.get().createdAt();
      if (created != null && !clock.now().isBefore(created.plus(job.timeout()))) {
        // The job's own limit (migrations.job.timeout), counted from the task's creation so that
        // a later attempt that finds the task still running counts the time already spent.
        api.stopTask(
            t,
            taskArn,
            "rollgate: the migration job ran past its timeout of "
                + job.timeout().toSeconds()
                + "s");
        throw new MigrationException(
            "ecs job: migration task %s ran past its timeout of %ds (migrations.job.timeout) and"
                    .formatted(shortId(taskArn), job.timeout().toSeconds())
                + " was stopped; see its logs, or raise the timeout",
            true,
            null);
      }
      if (!clock.now().isBefore(deadline)) {
        // Not failed: the task runs on, and the next attempt waits for it instead of starting one.
        throw new PlatformException(
            "ecs: migration task %s is still %s after %ds; will wait for it again"
                .formatted(shortId(taskArn), task.get().lastStatus(), timeout.toSeconds()),
            true);
      }
      try {
        clock.pause(poll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PlatformException("ecs: interrupted while waiting for " + taskArn, true, e);
      }
    }
  }

  private static Result result(EcsTarget t, Task task, EcsTaskJob job, boolean startedNow)
      throws MigrationException {
    Optional<Container> container =
        task.containers().stream().filter(c -> t.container().equals(c.name())).findFirst();
    Integer exit = container.map(Container::exitCode).orElse(null);
    if (exit != null && exit == 0) {
      // The tool knows versions, ECS does not: no schema version to report.
      return new Result(null, startedNow ? 1 : 0);
    }
    StringBuilder m =
        new StringBuilder("ecs job: migration task ")
            .append(shortId(task.taskArn()))
            .append(" (")
            .append(String.join(" ", job.command()))
            .append(") ");
    m.append(exit == null ? "did not run to completion" : "exited with code " + exit);
    container
        .map(Container::reason)
        .filter(r -> !r.isBlank())
        .ifPresent(r -> m.append("; container '").append(t.container()).append("': ").append(r));
    if (task.stoppedReason() != null && !task.stoppedReason().isBlank()) {
      m.append("; task stopped: ").append(task.stoppedReason());
    }
    if (task.stopCode() != null) {
      m.append(" (").append(task.stopCodeAsString()).append(')');
    }
    m.append("; see the task's logs, fix the migration, push a new image");
    throw new MigrationException(m.toString(), true, null);
  }

  /** ECS's startedBy takes 36 characters; a deployment id that does not fit is hashed. */
  static String startedBy(String deploymentId) {
    return STARTED_BY.matcher(deploymentId).matches()
        ? deploymentId
        : "rg-" + sha256(deploymentId).substring(0, 33);
  }

  private static String clientToken(String deploymentId) {
    return sha256("migration:" + deploymentId).substring(0, 64);
  }

  private static String failure(Failure f) {
    return f.reason() + (f.detail() == null ? "" : " (" + f.detail() + ")");
  }

  private static String shortId(String taskArn) {
    return taskArn == null ? "?" : taskArn.substring(taskArn.lastIndexOf('/') + 1);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
