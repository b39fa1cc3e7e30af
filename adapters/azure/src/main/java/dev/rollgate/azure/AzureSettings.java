package dev.rollgate.azure;

import dev.rollgate.assembly.Settings;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How rollgate talks to Azure Resource Manager: where, and how patiently. Immutable; start from
 * {@link #defaults()} or read them with {@link #from}.
 *
 * @param subscription the subscription for targets that name none (default null: {@code
 *     AZURE_SUBSCRIPTION_ID})
 * @param armEndpoint an ARM endpoint other than Azure's, e.g. {@code https://127.0.0.1:8443} for
 *     {@code scripts/rollgate emulate azure}'s fake; with it, a fixed placeholder token is sent
 *     instead of Azure credentials (default null: {@code https://management.azure.com/} with
 *     DefaultAzureCredential)
 * @param trustCertificate a PEM file of the certificate the ARM endpoint presents, trusted on top
 *     of nothing else (the fake's self-signed one); default null: the JVM's trust store
 * @param operationPoll how often a job execution is polled, and the longest wait between two polls
 *     of a long-running operation when ARM does not say (default 1s)
 * @param revisionTimeout how long a new revision may stay Provisioning or Activating (default 10m)
 * @param jobTimeout how long one migration call waits for its job execution (default 10m)
 */
public record AzureSettings(
    String subscription,
    String armEndpoint,
    String trustCertificate,
    Duration operationPoll,
    Duration revisionTimeout,
    Duration jobTimeout) {

  public AzureSettings {
    Objects.requireNonNull(operationPoll, "operationPoll");
    Objects.requireNonNull(revisionTimeout, "revisionTimeout");
    Objects.requireNonNull(jobTimeout, "jobTimeout");
    subscription = blankToNull(subscription);
    armEndpoint = blankToNull(armEndpoint);
    trustCertificate = blankToNull(trustCertificate);
    if (armEndpoint != null && armEndpoint.endsWith("/")) {
      armEndpoint = armEndpoint.substring(0, armEndpoint.length() - 1);
    }
  }

  public static AzureSettings defaults() {
    return new AzureSettings(
        null, null, null, Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofMinutes(10));
  }

  /**
   * The defaults changed by settings read by name: {@code rollgate.azure.subscription} (else {@code
   * AZURE_SUBSCRIPTION_ID}), {@code rollgate.azure.arm-endpoint} ({@code
   * ROLLGATE_AZURE_ARM_ENDPOINT}), {@code rollgate.azure.trust-certificate} ({@code
   * ROLLGATE_AZURE_TRUST_CERTIFICATE}), {@code rollgate.azure.operation-poll}, {@code
   * rollgate.azure.revision-timeout} and {@code rollgate.azure.job-timeout} (ISO-8601 durations).
   *
   * @throws IllegalArgumentException naming the setting, when a value cannot be read
   */
  public static AzureSettings from(UnaryOperator<String> property) {
    AzureSettings d = defaults();
    String subscription = property.apply("rollgate.azure.subscription");
    if (subscription == null || subscription.isBlank()) {
      subscription = property.apply("AZURE_SUBSCRIPTION_ID");
    }
    String endpoint = property.apply("rollgate.azure.arm-endpoint");
    if (endpoint != null && !endpoint.isBlank() && !endpoint.trim().startsWith("https://")) {
      throw new IllegalArgumentException(
          "rollgate.azure.arm-endpoint: not an https URL: '"
              + endpoint
              + "'; ARM speaks HTTPS only (Azure's SDK sends no token over http), e.g."
              + " https://127.0.0.1:8443");
    }
    String trust = property.apply("rollgate.azure.trust-certificate");
    if (trust != null
        && !trust.isBlank()
        && !java.nio.file.Files.isReadable(java.nio.file.Path.of(trust.trim()))) {
      throw new IllegalArgumentException(
          "rollgate.azure.trust-certificate: no readable PEM file at '"
              + trust
              + "'; name the certificate file 'emulate azure' printed");
    }
    return new AzureSettings(
        subscription,
        endpoint,
        trust,
        Settings.of(property).duration("rollgate.azure.operation-poll", d.operationPoll()),
        Settings.of(property).duration("rollgate.azure.revision-timeout", d.revisionTimeout()),
        Settings.of(property).duration("rollgate.azure.job-timeout", d.jobTimeout()));
  }

  /** How often to poll, and how long revisions and job executions are waited for. */
  public AzureSettings withWaits(Duration poll, Duration revision, Duration job) {
    return new AzureSettings(subscription, armEndpoint, trustCertificate, poll, revision, job);
  }

  /** ARM at {@code endpoint}, its certificate trusted from {@code pem}. */
  public AzureSettings withEndpoint(String endpoint, String pem) {
    return new AzureSettings(
        subscription, endpoint, pem, operationPoll, revisionTimeout, jobTimeout);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
