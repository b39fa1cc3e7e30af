package dev.rollgate.gcp;

import com.google.api.gax.longrunning.OperationFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.Task;
import com.google.cloud.run.v2.UpdateJobRequest;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.rollgate.core.port.PlatformException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The Cloud Run job calls rollgate makes, each translated by {@link GcpFaults} into a {@link
 * PlatformException} naming the job and the fix.
 */
final class CloudRunJobs {

  static final String CHECK_JOB =
      "check target.job (and target.jobRegion) in the manifest, or create the job first"
          + " (infra/gcp)";

  private final CloudRunClients clients;

  CloudRunJobs(CloudRunClients clients) {
    this.clients = clients;
  }

  Job job(CloudRunTarget t) throws PlatformException {
    return call(
        "run.jobs.get", "GetJob of " + t.describeJob(), () -> clients.jobs().getJob(t.jobName()));
  }

  /** Sends {@code job} with the etag it was read with, and waits for the update. */
  void update(CloudRunTarget t, Job job) throws PlatformException {
    String what = "UpdateJob of " + t.describeJob();
    OperationFuture<Job, Job> f =
        call(
            "run.jobs.update",
            what,
            () -> clients.jobs().updateJobAsync(UpdateJobRequest.newBuilder().setJob(job).build()));
    await(f, "run.jobs.update", what);
  }

  /** Starts an execution; returns its name from the operation's metadata. */
  String run(CloudRunTarget t, RunJobRequest request) throws PlatformException {
    String what = "RunJob of " + t.describeJob();
    OperationFuture<Execution, Execution> f =
        call("run.jobs.run", what, () -> clients.jobs().runJobAsync(request));
    try {
      Object metadata = f.getInitialFuture().get().getMetadata();
      if (metadata instanceof Execution e) {
        return e.getName();
      }
      if (metadata instanceof Any any) {
        return any.unpack(Execution.class).getName();
      }
      throw new InvalidProtocolBufferException("metadata is " + metadata);
    } catch (ExecutionException e) {
      throw GcpFaults.translate(CloudRunServices.unwrap(e), "run.jobs.run", what, CHECK_JOB);
    } catch (InvalidProtocolBufferException e) {
      throw new PlatformException(
          "gcp: %s answered an operation without an Execution in its metadata: %s"
              .formatted(what, e.getMessage()),
          false,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("gcp: interrupted during " + what, true, e);
    }
  }

  Execution execution(String name) throws PlatformException {
    return call(
        "run.executions.get",
        "GetExecution of " + name,
        () -> clients.executions().getExecution(name));
  }

  /** The job's executions, newest first. */
  List<Execution> executions(CloudRunTarget t) throws PlatformException {
    return call(
        "run.executions.list",
        "ListExecutions of " + t.describeJob(),
        () -> {
          List<Execution> all = new ArrayList<>();
          clients.executions().listExecutions(t.jobName()).iterateAll().forEach(all::add);
          return all;
        });
  }

  /** The execution's first failed task, if Cloud Run lists one. */
  Optional<Task> failedTask(String execution) throws PlatformException {
    List<Task> tasks =
        call(
            "run.tasks.list",
            "ListTasks of " + execution,
            () -> {
              List<Task> all = new ArrayList<>();
              clients.tasks().listTasks(execution).iterateAll().forEach(all::add);
              return all;
            });
    return tasks.stream()
        .filter(
            task ->
                task.hasLastAttemptResult()
                    && (task.getLastAttemptResult().getExitCode() != 0
                        || task.getLastAttemptResult().getStatus().getCode() != 0))
        .findFirst();
  }

  /** Asks Cloud Run to stop the execution; does not wait. */
  void cancel(String execution) throws PlatformException {
    call(
        "run.executions.cancel",
        "CancelExecution of " + execution,
        () -> clients.executions().cancelExecutionAsync(execution));
  }

  private static <T> void await(OperationFuture<T, T> f, String permission, String what)
      throws PlatformException {
    try {
      f.get();
    } catch (ExecutionException e) {
      throw GcpFaults.translate(CloudRunServices.unwrap(e), permission, what, CHECK_JOB);
    } catch (CancellationException e) {
      throw new PlatformException(
          "gcp: %s is not done yet; will look again".formatted(what), true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("gcp: interrupted during " + what, true, e);
    }
  }

  private static <T> T call(String permission, String what, Supplier<T> call)
      throws PlatformException {
    try {
      return call.get();
    } catch (ApiException e) {
      throw GcpFaults.translate(e, permission, what, CHECK_JOB);
    }
  }
}
