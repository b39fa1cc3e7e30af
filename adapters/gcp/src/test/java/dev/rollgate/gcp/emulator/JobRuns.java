package dev.rollgate.gcp.emulator;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.Task;
import com.google.cloud.run.v2.TaskAttemptResult;
import com.google.cloud.run.v2.TaskTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Job executions as Cloud Run runs them (execution.proto, task.proto, condition.proto's
 * ExecutionReason): RunJob's overrides (args, env, task_count, timeout; no image) applied to the
 * job's template, one Task per task_count, each ending with an exit code; the execution Completed
 * when every task ended, failed when one failed ({@code executionReason: NON_ZERO_EXIT_CODE}).
 *
 * <p>What a task's container does, since the fake runs none: an image digest starting {@code
 * sha256:badjob}, or {@code sha256:bad10b} ("bad job" in hex, for callers such as rollgate that
 * accept only hex digests), exits 1; otherwise the container's env (the job's, then the overrides')
 * may say {@code ROLLGATE_FAKE_EXIT_CODE} (default 0) and {@code ROLLGATE_FAKE_RUN_MILLIS} (how
 * long it runs, default 0). A task that runs past its timeout is stopped and fails. The condition
 * messages follow the words gcloud shows for failed executions ("Task ... failed with message: The
 * container exited with an exit code of 1."); they are not from a recorded response.
 */
final class JobRuns {

  static final String EXIT_CODE = "ROLLGATE_FAKE_EXIT_CODE";
  static final String RUN_MILLIS = "ROLLGATE_FAKE_RUN_MILLIS";

  /** Digest prefixes of images whose job tasks exit 1: as the issue names it, and in hex. */
  static final List<String> FAILING_JOB = List.of("@sha256:badjob", "@sha256:bad10b");

  /** How one execution will go, decided when it starts. */
  private record Plan(Instant start, Instant end, int exitCode, boolean timedOut) {}

  private final CloudRunStore store;
  private final ServiceRollouts conditions;
  private final Map<String, Plan> plans = new LinkedHashMap<>();

  JobRuns(CloudRunStore store) {
    this.store = store;
    this.conditions = new ServiceRollouts(store);
  }

  /** True for an image whose job tasks exit 1 ({@link #FAILING_JOB}). */
  static boolean failingJob(String image) {
    return FAILING_JOB.stream().anyMatch(image::contains);
  }

  /** Starts an execution of {@code job} with {@code overrides}; the job counts it. */
  Execution start(Job job, RunJobRequest.Overrides overrides) {
    TaskTemplate template = overridden(job.getTemplate().getTemplate(), overrides);
    int taskCount =
        overrides.getTaskCount() > 0
            ? overrides.getTaskCount()
            : Math.max(1, job.getTemplate().getTaskCount());
    String id = CloudRunStore.id(job.getName()) + "-" + CloudRunStore.letters(5);
    String name = job.getName() + "/executions/" + id;
    Map<String, String> env = new LinkedHashMap<>();
    boolean badImage = false;
    for (Container c : template.getContainersList()) {
      c.getEnvList().forEach(e -> env.put(e.getName(), e.getValue()));
      badImage |= failingJob(c.getImage());
    }
    int exit = badImage ? 1 : Integer.parseInt(env.getOrDefault(EXIT_CODE, "0"));
    Duration runs = Duration.ofMillis(Long.parseLong(env.getOrDefault(RUN_MILLIS, "0")));
    Duration timeout =
        template.hasTimeout()
            ? Duration.ofSeconds(
                template.getTimeout().getSeconds(), template.getTimeout().getNanos())
            : Duration.ofMinutes(10);
    boolean timedOut = runs.compareTo(timeout) > 0;
    Instant start = store.now();
    plans.put(name, new Plan(start, start.plus(timedOut ? timeout : runs), exit, timedOut));
    String project = job.getName().split("/")[1];
    String region = job.getName().split("/")[3];
    Execution e =
        Execution.newBuilder()
            .setName(name)
            .setUid(UUID.randomUUID().toString())
            .setGeneration(1)
            .setCreator("rollgate-fake@" + project + ".iam.gserviceaccount.com")
            .putAllLabels(job.getTemplate().getLabelsMap())
            .putAllAnnotations(job.getTemplate().getAnnotationsMap())
            .setCreateTime(store.timestamp())
            .setStartTime(store.timestamp())
            .setUpdateTime(store.timestamp())
            .setJob(CloudRunStore.id(job.getName()))
            .setParallelism(job.getTemplate().getParallelism())
            .setTaskCount(taskCount)
            .setTemplate(template)
            .setReconciling(true)
            .setObservedGeneration(1)
            .setRunningCount(taskCount)
            .addConditions(conditions.condition("ResourcesAvailable", ok(), ""))
            .addConditions(conditions.condition("Started", ok(), ""))
            .addConditions(
                conditions.condition("Completed", Condition.State.CONDITION_RECONCILING, ""))
            // The Logs Explorer link Cloud Run gives an execution, filtered by its name.
            .setLogUri(
                "https://console.cloud.google.com/logs/viewer?project=%s&advancedFilter=resource.type%%3D%%22cloud_run_job%%22%%0Alabels.%%22run.googleapis.com/execution_name%%22%%3D%%22%s%%22%%0Aresource.labels.location%%3D%%22%s%%22"
                    .formatted(project, id, region))
            .setEtag(store.etag())
            .build();
    store.executions.put(name, e);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < taskCount; i++) {
      tasks.add(
          Task.newBuilder()
              .setName(name + "/tasks/" + id + "-task" + i)
              .setUid(UUID.randomUUID().toString())
              .setJob(e.getJob())
              .setExecution(id)
              .addAllContainers(template.getContainersList())
              .setTimeout(template.getTimeout())
              .setIndex(i)
              .setCreateTime(store.timestamp())
              .setStartTime(store.timestamp())
              .setLogUri(e.getLogUri())
              .setEtag(store.etag())
              .build());
    }
    store.tasks.put(name, tasks);
    return e;
  }

  /** When the execution's tasks end. */
  Instant end(String execution) {
    return plans.get(execution).end();
  }

  /** The execution as it stands now: done once its tasks ended. */
  Execution refresh(String name) {
    Execution e = store.executions.get(name);
    Plan plan = plans.get(name);
    if (e == null || plan == null || !e.getReconciling() || store.now().isBefore(plan.end())) {
      return e;
    }
    return complete(e, plan.exitCode(), plan.timedOut(), false);
  }

  /** Stops the execution's tasks (CancelExecution). */
  Execution cancel(String name) {
    Execution e = store.executions.get(name);
    return e.getReconciling() ? complete(e, -1, false, true) : e;
  }

  private Execution complete(Execution e, int exit, boolean timedOut, boolean cancelled) {
    List<Task> tasks = new ArrayList<>();
    String firstTask = null;
    for (Task t : store.tasks.get(e.getName())) {
      TaskAttemptResult.Builder result = TaskAttemptResult.newBuilder();
      if (cancelled) {
        result.setStatus(status(1, "The task was cancelled."));
      } else if (timedOut) {
        result.setStatus(status(4, "The configured timeout was reached."));
      } else {
        result.setExitCode(exit).setStatus(status(exit == 0 ? 0 : 2, exitMessage(exit)));
      }
      firstTask = firstTask == null ? CloudRunStore.id(t.getName()) : firstTask;
      boolean ok = !cancelled && !timedOut && exit == 0;
      tasks.add(
          t.toBuilder()
              .setLastAttemptResult(result)
              .setCompletionTime(store.timestamp())
              .addConditions(
                  conditions.condition(
                      "Completed",
                      ok ? ok() : Condition.State.CONDITION_FAILED,
                      ok ? "" : result.getStatus().getMessage()))
              .build());
    }
    store.tasks.put(e.getName(), tasks);
    int n = e.getTaskCount();
    Condition completed;
    Execution.Builder b =
        e.toBuilder()
            .setReconciling(false)
            .setRunningCount(0)
            .setCompletionTime(store.timestamp())
            .setUpdateTime(store.timestamp())
            .setEtag(store.etag())
            .clearConditions()
            .addConditions(conditions.condition("ResourcesAvailable", ok(), ""))
            .addConditions(conditions.condition("Started", ok(), ""));
    if (cancelled) {
      b.setCancelledCount(n);
      completed =
          conditions
              .condition(
                  "Completed", Condition.State.CONDITION_FAILED, "The execution was cancelled.")
              .toBuilder()
              .setExecutionReason(Condition.ExecutionReason.CANCELLED)
              .build();
    } else if (timedOut || exit != 0) {
      b.setFailedCount(n);
      String why = timedOut ? "The configured timeout was reached." : exitMessage(exit);
      Condition.Builder c =
          conditions
              .condition(
                  "Completed",
                  Condition.State.CONDITION_FAILED,
                  "Task %s failed with message: %s".formatted(firstTask, why))
              .toBuilder();
      if (!timedOut) {
        c.setExecutionReason(Condition.ExecutionReason.NON_ZERO_EXIT_CODE);
      }
      completed = c.build();
    } else {
      b.setSucceededCount(n);
      completed = conditions.condition("Completed", ok(), "");
    }
    Execution done = b.addConditions(completed).build();
    store.executions.put(e.getName(), done);
    return done;
  }

  private static String exitMessage(int exit) {
    return "The container exited with an exit code of " + exit + ".";
  }

  private static com.google.rpc.Status status(int code, String message) {
    return com.google.rpc.Status.newBuilder().setCode(code).setMessage(message).build();
  }

  private static Condition.State ok() {
    return Condition.State.CONDITION_SUCCEEDED;
  }

  /** The job's task template with RunJob's overrides: args, env and timeout; never the image. */
  private static TaskTemplate overridden(TaskTemplate t, RunJobRequest.Overrides overrides) {
    TaskTemplate.Builder b = t.toBuilder();
    if (overrides.hasTimeout()) {
      b.setTimeout(overrides.getTimeout());
    }
    for (RunJobRequest.Overrides.ContainerOverride o : overrides.getContainerOverridesList()) {
      int index = -1;
      for (int i = 0; i < t.getContainersCount(); i++) {
        String name = t.getContainers(i).getName();
        if (o.getName().isEmpty() ? t.getContainersCount() == 1 : o.getName().equals(name)) {
          index = i;
        }
      }
      if (index < 0) {
        throw FakeCalls.invalid(
            "overrides.container_overrides: no container named '" + o.getName() + "' in the job");
      }
      Container.Builder c = b.getContainers(index).toBuilder();
      if (o.getClearArgs() || o.getArgsCount() > 0) {
        c.clearArgs().addAllArgs(o.getArgsList());
      }
      Map<String, EnvVar> env = new LinkedHashMap<>();
      c.getEnvList().forEach(e -> env.put(e.getName(), e));
      o.getEnvList().forEach(e -> env.put(e.getName(), e));
      c.clearEnv().addAllEnv(env.values());
      b.setContainers(index, c);
    }
    return b.build();
  }
}
