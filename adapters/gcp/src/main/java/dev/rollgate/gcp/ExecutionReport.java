package dev.rollgate.gcp;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.Task;
import com.google.cloud.run.v2.TaskAttemptResult;
import dev.rollgate.core.manifest.MigrationSpec;
import java.util.Optional;

/**
 * What a failed job execution says, in Cloud Run's terms: the task counts, the failed task's exit
 * code (or its timeout), the Completed condition's {@code executionReason} and message, and the
 * execution's log URI (Cloud Run keeps a job's output in Cloud Logging, not in the API).
 */
final class ExecutionReport {

  /** google.rpc.Code DEADLINE_EXCEEDED: the task ran into its timeout. */
  private static final int DEADLINE_EXCEEDED = 4;

  private ExecutionReport() {}

  static String failure(
      CloudRunTarget t, Execution e, MigrationSpec spec, Optional<Task> failedTask) {
    StringBuilder m =
        new StringBuilder("cloudrun job: execution ")
            .append(CloudRunReading.shortName(e.getName()))
            .append(" of ")
            .append(t.describeJob())
            .append(" (")
            .append(String.join(" ", spec.commandLine()))
            .append(") failed: ")
            .append(e.getSucceededCount())
            .append(" of ")
            .append(e.getTaskCount())
            .append(" tasks succeeded, ")
            .append(e.getFailedCount())
            .append(" failed, ")
            .append(e.getCancelledCount())
            .append(" cancelled");
    failedTask.ifPresent(
        task -> {
          TaskAttemptResult attempt = task.getLastAttemptResult();
          if (attempt.getStatus().getCode() == DEADLINE_EXCEEDED) {
            m.append("; task ")
                .append(task.getIndex())
                .append(" reached its timeout of ")
                .append(spec.timeout().toSeconds())
                .append("s (migrations.job.timeout)");
          } else if (attempt.getExitCode() != 0) {
            m.append("; task ")
                .append(task.getIndex())
                .append(" exited with code ")
                .append(attempt.getExitCode());
          }
        });
    completed(e)
        .ifPresent(
            c -> {
              if (c.getReasonsCase() == Condition.ReasonsCase.EXECUTION_REASON) {
                m.append("; executionReason ").append(c.getExecutionReason());
              }
              if (!c.getMessage().isEmpty()) {
                m.append("; Cloud Run: ").append(c.getMessage());
              }
            });
    m.append("; logs: ").append(e.getLogUri().isEmpty() ? "(no log URI)" : e.getLogUri());
    m.append("; fix the migration, push a new image");
    return m.toString();
  }

  /** The execution's Completed condition once it succeeded or failed. */
  static Optional<Condition> completed(Execution e) {
    return e.getConditionsList().stream()
        .filter(c -> c.getType().equals("Completed"))
        .filter(
            c ->
                c.getState() == Condition.State.CONDITION_SUCCEEDED
                    || c.getState() == Condition.State.CONDITION_FAILED)
        .findFirst();
  }
}
