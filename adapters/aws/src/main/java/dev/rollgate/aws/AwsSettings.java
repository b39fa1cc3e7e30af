package dev.rollgate.aws;

import dev.rollgate.assembly.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How rollgate talks to AWS: where, as whom, and how patiently. Immutable; start from {@link
 * #defaults()} and change what differs.
 *
 * @param region the region for targets that name none (default null: the SDK's chain, i.e. {@code
 *     aws.region}, {@code AWS_REGION}, the profile)
 * @param endpoint an endpoint for every client, e.g. moto's (default null: the SDK's own, which
 *     honours {@code AWS_ENDPOINT_URL})
 * @param credentials who rollgate is (default null: the SDK's default chain, read on first use so
 *     that a restored snapshot never carries stale credentials)
 * @param connectTimeout TCP connect timeout (default 2s)
 * @param socketTimeout read timeout of one HTTP exchange (default 10s)
 * @param attemptTimeout one attempt of an API call, retries excluded (default 10s)
 * @param callTimeout one API call, all its retries included (default 30s)
 * @param maxAttempts attempts of an idempotent call in the SDK's standard retry mode, with its
 *     exponential backoff and jitter (default 3); calls that change something are made once and
 *     re-checked by the caller instead
 * @param revisionScan how many of a family's newest task definition revisions are searched for a
 *     deployment's earlier registration (default 10)
 * @param taskPoll how often a migration task is polled until it stops (default 5s)
 * @param taskTimeout how long one migration call waits for its task to stop (default 10m)
 */
public record AwsSettings(
    String region,
    URI endpoint,
    AwsCredentialsProvider credentials,
    Duration connectTimeout,
    Duration socketTimeout,
    Duration attemptTimeout,
    Duration callTimeout,
    int maxAttempts,
    int revisionScan,
    Duration taskPoll,
    Duration taskTimeout) {

  public AwsSettings {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(socketTimeout, "socketTimeout");
    Objects.requireNonNull(attemptTimeout, "attemptTimeout");
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(taskPoll, "taskPoll");
    Objects.requireNonNull(taskTimeout, "taskTimeout");
    if (maxAttempts < 1 || revisionScan < 1) {
      throw new IllegalArgumentException("maxAttempts and revisionScan must be at least 1");
    }
    region = region == null || region.isBlank() ? null : region.trim();
  }

  public static AwsSettings defaults() {
    return new AwsSettings(
        null,
        null,
        null,
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        3,
        10,
        Duration.ofSeconds(5),
        Duration.ofMinutes(10));
  }

  /**
   * The defaults changed by settings read by name: {@code rollgate.aws.region}, {@code
   * rollgate.aws.endpoint}, {@code rollgate.aws.task-poll} and {@code rollgate.aws.task-timeout}
   * (ISO-8601 durations, e.g. PT2S and PT10M); unset ones keep their default.
   *
   * @throws IllegalArgumentException naming the setting, when a value cannot be read
   */
  public static AwsSettings from(UnaryOperator<String> property) {
    AwsSettings settings = defaults().withRegion(property.apply("rollgate.aws.region"));
    String endpoint = property.apply("rollgate.aws.endpoint");
    if (endpoint != null && !endpoint.isBlank()) {
      URI uri;
      try {
        uri = URI.create(endpoint.trim());
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null
          || !("http".equalsIgnoreCase(uri.getScheme())
              || "https".equalsIgnoreCase(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "rollgate.aws.endpoint: not an http(s) URL: '"
                + endpoint
                + "'; e.g. http://127.0.0.1:5000");
      }
      settings = settings.withEndpoint(uri);
    }
    Duration poll = Settings.of(property).duration("rollgate.aws.task-poll", settings.taskPoll());
    Duration timeout =
        Settings.of(property).duration("rollgate.aws.task-timeout", settings.taskTimeout());
    if (poll.compareTo(timeout) > 0) {
      throw new IllegalArgumentException(
          "rollgate.aws.task-poll ("
              + poll
              + ") is longer than rollgate.aws.task-timeout ("
              + timeout
              + "): a migration task would never be polled before it times out");
    }
    return settings.withTaskWait(poll, timeout);
  }

  public AwsSettings withRegion(String newRegion) {
    return new AwsSettings(
        newRegion,
        endpoint,
        credentials,
        connectTimeout,
        socketTimeout,
        attemptTimeout,
        callTimeout,
        maxAttempts,
        revisionScan,
        taskPoll,
        taskTimeout);
  }

  public AwsSettings withEndpoint(URI newEndpoint) {
    return new AwsSettings(
        region,
        newEndpoint,
        credentials,
        connectTimeout,
        socketTimeout,
        attemptTimeout,
        callTimeout,
        maxAttempts,
        revisionScan,
        taskPoll,
        taskTimeout);
  }

  public AwsSettings withCredentials(AwsCredentialsProvider newCredentials) {
    return new AwsSettings(
        region,
        endpoint,
        newCredentials,
        connectTimeout,
        socketTimeout,
        attemptTimeout,
        callTimeout,
        maxAttempts,
        revisionScan,
        taskPoll,
        taskTimeout);
  }

  /** The per-attempt and per-call timeouts and the attempts of idempotent calls. */
  public AwsSettings withTimeouts(Duration attempt, Duration call, int attempts) {
    return new AwsSettings(
        region,
        endpoint,
        credentials,
        connectTimeout,
        attempt,
        attempt,
        call,
        attempts,
        revisionScan,
        taskPoll,
        taskTimeout);
  }

  /** How migration tasks are waited for. */
  public AwsSettings withTaskWait(Duration poll, Duration timeout) {
    return new AwsSettings(
        region,
        endpoint,
        credentials,
        connectTimeout,
        socketTimeout,
        attemptTimeout,
        callTimeout,
        maxAttempts,
        revisionScan,
        poll,
        timeout);
  }
}
