package dev.rollgate.gcp;

import dev.rollgate.assembly.Settings;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How rollgate talks to Google Cloud: where, and how patiently. Immutable; start from {@link
 * #defaults()} or read them with {@link #from}.
 *
 * @param project the project for references that name none (default null: {@code
 *     GOOGLE_CLOUD_PROJECT}, as Cloud Functions sets it)
 * @param emulatorHost {@code host:port} of a Cloud Run / Secret Manager fake speaking plaintext
 *     gRPC, e.g. {@code scripts/rollgate emulate gcp}'s (default null: Google's endpoints, with
 *     Application Default Credentials)
 * @param operationPoll how often a long-running operation is polled (default 1s)
 * @param operationTimeout how long one call waits for a long-running operation (default 5m)
 * @param jobTimeout how long one migration call waits for its job execution (default 10m)
 */
public record GcpSettings(
    String project,
    String emulatorHost,
    Duration operationPoll,
    Duration operationTimeout,
    Duration jobTimeout) {

  public GcpSettings {
    Objects.requireNonNull(operationPoll, "operationPoll");
    Objects.requireNonNull(operationTimeout, "operationTimeout");
    Objects.requireNonNull(jobTimeout, "jobTimeout");
    project = blankToNull(project);
    emulatorHost = blankToNull(emulatorHost);
  }

  public static GcpSettings defaults() {
    return new GcpSettings(
        null, null, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(10));
  }

  /**
   * The defaults changed by settings read by name: {@code rollgate.gcp.project} (else {@code
   * GOOGLE_CLOUD_PROJECT}), {@code rollgate.gcp.emulator-host} ({@code
   * ROLLGATE_GCP_EMULATOR_HOST}), {@code rollgate.gcp.operation-poll}, {@code
   * rollgate.gcp.operation-timeout} and {@code rollgate.gcp.job-timeout} (ISO-8601 durations);
   * unset ones keep their default.
   *
   * @throws IllegalArgumentException naming the setting, when a value cannot be read
   */
  public static GcpSettings from(UnaryOperator<String> property) {
    GcpSettings d = defaults();
    String project = property.apply("rollgate.gcp.project");
    if (project == null || project.isBlank()) {
      project = property.apply("GOOGLE_CLOUD_PROJECT");
    }
    String host = property.apply("rollgate.gcp.emulator-host");
    if (host != null && !host.isBlank() && !host.trim().matches("[^\\s/:]+:\\d{1,5}")) {
      throw new IllegalArgumentException(
          "rollgate.gcp.emulator-host: not host:port: '" + host + "'; e.g. 127.0.0.1:8086");
    }
    Duration poll =
        Settings.of(property).duration("rollgate.gcp.operation-poll", d.operationPoll());
    Duration timeout =
        Settings.of(property).duration("rollgate.gcp.operation-timeout", d.operationTimeout());
    if (poll.compareTo(timeout) > 0) {
      throw new IllegalArgumentException(
          "rollgate.gcp.operation-poll ("
              + poll
              + ") is longer than rollgate.gcp.operation-timeout ("
              + timeout
              + ")");
    }
    return new GcpSettings(
        project,
        host,
        poll,
        timeout,
        Settings.of(property).duration("rollgate.gcp.job-timeout", d.jobTimeout()));
  }

  public GcpSettings withEmulatorHost(String newHost) {
    return new GcpSettings(project, newHost, operationPoll, operationTimeout, jobTimeout);
  }

  public GcpSettings withProject(String newProject) {
    return new GcpSettings(newProject, emulatorHost, operationPoll, operationTimeout, jobTimeout);
  }

  /** How long-running operations and job executions are waited for. */
  public GcpSettings withWaits(Duration poll, Duration timeout, Duration job) {
    return new GcpSettings(project, emulatorHost, poll, timeout, job);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
