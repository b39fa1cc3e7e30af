package dev.rollgate.gcp.emulator;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.CreateJobRequest;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionReference;
import com.google.cloud.run.v2.GetJobRequest;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.JobsGrpc;
import com.google.cloud.run.v2.ListJobsRequest;
import com.google.cloud.run.v2.ListJobsResponse;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.UpdateJobRequest;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import dev.rollgate.gcp.emulator.CloudRunFaults.Kind;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code google.cloud.run.v2.Jobs} (job.proto): CreateJob, GetJob, ListJobs, UpdateJob (etag
 * honoured) and RunJob, whose operation's metadata, and response once done, is the Execution (as
 * job.proto's {@code operation_info} for RunJob says). The RunJob operation is done when the
 * execution is; whether it succeeded is read from the Execution's conditions.
 */
final class FakeJobs extends JobsGrpc.JobsImplBase {

  private static final Pattern JOB_ID = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

  private final CloudRunStore store;
  private final FakeCalls calls;
  private final JobRuns runs;
  private final ServiceRollouts conditions;

  FakeJobs(CloudRunStore store, FakeCalls calls, JobRuns runs) {
    this.store = store;
    this.calls = calls;
    this.runs = runs;
    this.conditions = new ServiceRollouts(store);
  }

  @Override
  public void createJob(CreateJobRequest request, StreamObserver<Operation> observer) {
    calls.answer(
        "CreateJob",
        observer,
        fault -> {
          String id = request.getJobId();
          if (!JOB_ID.matcher(id).matches()) {
            throw FakeCalls.invalid("job_id: '" + id + "': use lower-case letters, digits and '-'");
          }
          String name = request.getParent() + "/jobs/" + id;
          if (store.jobs.containsKey(name)) {
            throw Status.ALREADY_EXISTS
                .withDescription("Resource '" + id + "' already exists.")
                .asRuntimeException();
          }
          String project = request.getParent().split("/")[1];
          Job job =
              request.getJob().toBuilder()
                  .setName(name)
                  .setUid(UUID.randomUUID().toString())
                  .setGeneration(1)
                  .setCreateTime(store.timestamp())
                  .setUpdateTime(store.timestamp())
                  .setCreator("rollgate-fake@" + project + ".iam.gserviceaccount.com")
                  .setReconciling(true)
                  .setEtag(store.etag())
                  .build();
          store.jobs.put(name, job);
          return store.start(request.getParent(), job, op -> settled(op, name, 1));
        });
  }

  @Override
  public void getJob(GetJobRequest request, StreamObserver<Job> observer) {
    calls.answer("GetJob", observer, fault -> job(request.getName()));
  }

  @Override
  public void listJobs(ListJobsRequest request, StreamObserver<ListJobsResponse> observer) {
    calls.answer(
        "ListJobs",
        observer,
        fault ->
            ListJobsResponse.newBuilder()
                .addAllJobs(
                    store.jobs.values().stream()
                        .filter(j -> j.getName().startsWith(request.getParent() + "/jobs/"))
                        .toList())
                .build());
  }

  @Override
  public void updateJob(UpdateJobRequest request, StreamObserver<Operation> observer) {
    calls.answer("UpdateJob", observer, fault -> update(request, fault));
  }

  private Operation update(UpdateJobRequest request, Kind fault) {
    String name = request.getJob().getName();
    Job current = job(name);
    if (fault == Kind.ETAG_CONFLICT) {
      current = current.toBuilder().setEtag(store.etag()).build();
      store.jobs.put(name, current);
    }
    FakeCalls.checkEtag(request.getJob().getEtag(), current.getEtag(), name);
    long generation = current.getGeneration() + 1;
    Job job =
        current.toBuilder()
            .clearLabels()
            .putAllLabels(request.getJob().getLabelsMap())
            .clearAnnotations()
            .putAllAnnotations(request.getJob().getAnnotationsMap())
            .setTemplate(request.getJob().getTemplate())
            .setGeneration(generation)
            .setUpdateTime(store.timestamp())
            .setReconciling(true)
            .setEtag(store.etag())
            .build();
    store.jobs.put(name, job);
    return store.start(CloudRunStore.location(name), job, op -> settled(op, name, generation));
  }

  private Operation settled(String op, String name, long generation) {
    Job job =
        store.jobs.get(name).toBuilder()
            .setReconciling(false)
            .setObservedGeneration(generation)
            .setTerminalCondition(
                conditions.condition("Ready", Condition.State.CONDITION_SUCCEEDED, ""))
            .build();
    store.jobs.put(name, job);
    return Operation.newBuilder()
        .setName(op)
        .setDone(true)
        .setMetadata(Any.pack(job))
        .setResponse(Any.pack(job))
        .build();
  }

  @Override
  public void runJob(RunJobRequest request, StreamObserver<Operation> observer) {
    calls.answer(
        "RunJob",
        observer,
        fault -> {
          Job job = job(request.getName());
          FakeCalls.checkEtag(request.getEtag(), job.getEtag(), request.getName());
          Execution e = runs.start(job, request.getOverrides());
          store.jobs.put(
              job.getName(),
              job.toBuilder()
                  .setExecutionCount(job.getExecutionCount() + 1)
                  .setLatestCreatedExecution(
                      ExecutionReference.newBuilder()
                          .setName(e.getName())
                          .setCreateTime(e.getCreateTime())
                          .setCompletionStatus(
                              ExecutionReference.CompletionStatus.EXECUTION_RUNNING))
                  .build());
          String name = e.getName();
          return store.start(
              CloudRunStore.location(name),
              e,
              () -> runs.end(name),
              op -> {
                Execution done = runs.refresh(name);
                return Operation.newBuilder()
                    .setName(op)
                    .setDone(true)
                    .setMetadata(Any.pack(done))
                    .setResponse(Any.pack(done))
                    .build();
              });
        });
  }

  private Job job(String name) {
    Job j = store.jobs.get(name);
    if (j == null) {
      throw FakeCalls.notFound("JOB", name);
    }
    return j;
  }
}
