package dev.rollgate.gcp.emulator;

import com.google.cloud.run.v2.CancelExecutionRequest;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionsGrpc;
import com.google.cloud.run.v2.GetExecutionRequest;
import com.google.cloud.run.v2.GetTaskRequest;
import com.google.cloud.run.v2.ListExecutionsRequest;
import com.google.cloud.run.v2.ListExecutionsResponse;
import com.google.cloud.run.v2.ListTasksRequest;
import com.google.cloud.run.v2.ListTasksResponse;
import com.google.cloud.run.v2.Task;
import com.google.cloud.run.v2.TasksGrpc;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code google.cloud.run.v2.Executions} (execution.proto: GetExecution, ListExecutions newest
 * first, CancelExecution) and {@link Tasks} ({@code google.cloud.run.v2.Tasks}, task.proto).
 */
final class FakeExecutions extends ExecutionsGrpc.ExecutionsImplBase {

  private final CloudRunStore store;
  private final FakeCalls calls;
  private final JobRuns runs;

  FakeExecutions(CloudRunStore store, FakeCalls calls, JobRuns runs) {
    this.store = store;
    this.calls = calls;
    this.runs = runs;
  }

  @Override
  public void getExecution(GetExecutionRequest request, StreamObserver<Execution> observer) {
    calls.answer("GetExecution", observer, fault -> execution(request.getName()));
  }

  private Execution execution(String name) {
    if (!store.executions.containsKey(name)) {
      throw FakeCalls.notFound("EXECUTION", name);
    }
    return runs.refresh(name);
  }

  @Override
  public void listExecutions(
      ListExecutionsRequest request, StreamObserver<ListExecutionsResponse> observer) {
    calls.answer(
        "ListExecutions",
        observer,
        fault -> {
          List<Execution> found = new ArrayList<>();
          for (String name : new ArrayList<>(store.executions.keySet())) {
            if (name.startsWith(request.getParent() + "/executions/")) {
              found.add(runs.refresh(name));
            }
          }
          Collections.reverse(found);
          return ListExecutionsResponse.newBuilder().addAllExecutions(found).build();
        });
  }

  @Override
  public void cancelExecution(CancelExecutionRequest request, StreamObserver<Operation> observer) {
    calls.answer(
        "CancelExecution",
        observer,
        fault -> {
          execution(request.getName());
          Execution e = runs.cancel(request.getName());
          return store.start(
              CloudRunStore.location(e.getName()),
              e,
              op ->
                  Operation.newBuilder()
                      .setName(op)
                      .setDone(true)
                      .setMetadata(Any.pack(e))
                      .setResponse(Any.pack(e))
                      .build());
        });
  }

  /** {@code google.cloud.run.v2.Tasks}: GetTask, ListTasks of an execution. */
  static final class Tasks extends TasksGrpc.TasksImplBase {

    private final CloudRunStore store;
    private final FakeCalls calls;
    private final JobRuns runs;

    Tasks(CloudRunStore store, FakeCalls calls, JobRuns runs) {
      this.store = store;
      this.calls = calls;
      this.runs = runs;
    }

    @Override
    public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> observer) {
      calls.answer(
          "ListTasks",
          observer,
          fault -> {
            if (!store.executions.containsKey(request.getParent())) {
              throw FakeCalls.notFound("EXECUTION", request.getParent());
            }
            runs.refresh(request.getParent());
            return ListTasksResponse.newBuilder()
                .addAllTasks(store.tasks.get(request.getParent()))
                .build();
          });
    }

    @Override
    public void getTask(GetTaskRequest request, StreamObserver<Task> observer) {
      calls.answer(
          "GetTask",
          observer,
          fault -> {
            String execution = request.getName().substring(0, request.getName().indexOf("/tasks/"));
            if (store.executions.containsKey(execution)) {
              runs.refresh(execution);
              for (Task t : store.tasks.get(execution)) {
                if (t.getName().equals(request.getName())) {
                  return t;
                }
              }
            }
            throw FakeCalls.notFound("TASK", request.getName());
          });
    }
  }
}
