package dev.rollgate.azure;

import dev.rollgate.assembly.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How rollgate talks to Azure: where (Resource Manager, Key Vault, Blob Storage) and how patiently.
 * Immutable; start from {@link #defaults()} or read them with {@link #from}.
 *
 * @param subscription the subscription for targets that name none (default null: {@code
 *     AZURE_SUBSCRIPTION_ID})
 * @param endpoint an emulator standing in for ARM and Key Vault, e.g. {@code
 *     https://127.0.0.1:8443} from {@code scripts/rollgate emulate azure}: ARM is called there, and
 *     there the short form {@code azure-kv:VAULT/NAME} is read, each with a fixed placeholder token
 *     instead of Azure credentials (default null: {@code https://management.azure.com/} and {@code
 *     https://VAULT.vault.azure.net} with DefaultAzureCredential)
 * @param trustCertificate a PEM file of the certificate {@code endpoint} presents (the emulator's
 *     self-signed one), trusted instead of the JVM's trust store by every client built against
 *     {@code endpoint}; default null: the JVM's trust store
 * @param storageConnectionString a storage account's connection string (Azurite's, or an account
 *     key's), used for its account instead of Microsoft Entra ID (default null: in production the
 *     Function App's managed identity reads and writes blobs); never shown by {@link #toString()}
 * @param operationPoll how often a job execution is polled, and the longest wait between two polls
 *     of a long-running operation when ARM does not say (default 1s)
 * @param revisionTimeout how long a new revision may stay Provisioning or Activating (default 10m)
 * @param jobTimeout how long one migration call waits for its job execution (default 10m)
 */
public record AzureSettings(
    String subscription,
    String endpoint,
    String trustCertificate,
    String storageConnectionString,
    Duration operationPoll,
    Duration revisionTimeout,
    Duration jobTimeout) {

  /** The emulator's endpoint, for ARM and Key Vault ({@code ROLLGATE_AZURE_ENDPOINT}). */
  public static final String ENDPOINT = "rollgate.azure.endpoint";

  /** The PEM file trusted for {@link #ENDPOINT} ({@code ROLLGATE_AZURE_TRUST_CERTIFICATE}). */
  public static final String TRUST_CERTIFICATE = "rollgate.azure.trust-certificate";

  /** The storage connection string ({@code ROLLGATE_AZURE_STORAGE_CONNECTION_STRING}). */
  public static final String STORAGE_CONNECTION_STRING = "rollgate.azure.storage-connection-string";

  // Endpoints of one service each, replaced by ENDPOINT: refused with the fix, not ignored, so
  // that an old export does not silently send rollgate to Azure.
  private static final String[] REPLACED = {
    "rollgate.azure.arm-endpoint", "rollgate.azure.keyvault-endpoint"
  };

  public AzureSettings {
    Objects.requireNonNull(operationPoll, "operationPoll");
    Objects.requireNonNull(revisionTimeout, "revisionTimeout");
    Objects.requireNonNull(jobTimeout, "jobTimeout");
    subscription = blankToNull(subscription);
    endpoint = blankToNull(endpoint);
    trustCertificate = blankToNull(trustCertificate);
    storageConnectionString = blankToNull(storageConnectionString);
    if (endpoint != null) {
      endpoint = endpoint.replaceAll("/+$", "");
    }
  }

  public static AzureSettings defaults() {
    return new AzureSettings(
        null,
        null,
        null,
        null,
        Duration.ofSeconds(1),
        Duration.ofMinutes(10),
        Duration.ofMinutes(10));
  }

  /**
   * The defaults changed by settings read by name: {@code rollgate.azure.subscription} (else {@code
   * AZURE_SUBSCRIPTION_ID}), {@code rollgate.azure.endpoint} ({@code ROLLGATE_AZURE_ENDPOINT}),
   * {@code rollgate.azure.trust-certificate} ({@code ROLLGATE_AZURE_TRUST_CERTIFICATE}), {@code
   * rollgate.azure.storage-connection-string} (else {@code AZURE_STORAGE_CONNECTION_STRING}),
   * {@code rollgate.azure.operation-poll}, {@code rollgate.azure.revision-timeout} and {@code
   * rollgate.azure.job-timeout} (ISO-8601 durations). Blank counts as unset.
   *
   * @throws IllegalArgumentException naming the setting, when a value cannot be used
   */
  public static AzureSettings from(UnaryOperator<String> property) {
    Settings s = Settings.of(property);
    AzureSettings d = defaults();
    for (String replaced : REPLACED) {
      if (s.get(replaced) != null) {
        throw new IllegalArgumentException(
            replaced
                + " ("
                + Settings.environmentName(replaced)
                + ") is no longer read: set "
                + ENDPOINT
                + " (ROLLGATE_AZURE_ENDPOINT), which points ARM and Key Vault at one emulator"
                + " (run 'scripts/rollgate emulate azure' again for its exports), and unset "
                + replaced);
      }
    }
    String endpoint = s.get(ENDPOINT);
    if (endpoint != null && !endpoint.startsWith("https://")) {
      throw new IllegalArgumentException(
          ENDPOINT
              + ": not an https URL: '"
              + endpoint
              + "'; ARM and Key Vault speak HTTPS only (Azure's SDK sends no token over http), e.g."
              + " https://127.0.0.1:8443 as 'scripts/rollgate emulate azure' prints");
    }
    String trust = s.get(TRUST_CERTIFICATE);
    if (trust != null && !Files.isReadable(Path.of(trust))) {
      throw new IllegalArgumentException(
          TRUST_CERTIFICATE
              + ": no readable PEM file at '"
              + trust
              + "'; name the certificate file 'scripts/rollgate emulate azure' printed");
    }
    if (trust != null && endpoint == null) {
      throw new IllegalArgumentException(
          TRUST_CERTIFICATE
              + ": set, but "
              + ENDPOINT
              + " is not: the certificate is trusted for the emulator's endpoint only; set"
              + " ROLLGATE_AZURE_ENDPOINT too (as 'scripts/rollgate emulate azure' prints), or"
              + " unset ROLLGATE_AZURE_TRUST_CERTIFICATE to call Azure");
    }
    String subscription = s.get("rollgate.azure.subscription");
    String connection = s.get(STORAGE_CONNECTION_STRING);
    return new AzureSettings(
        subscription != null ? subscription : s.get("AZURE_SUBSCRIPTION_ID"),
        endpoint,
        trust,
        // Azure's own variable, which the Azure CLI reads too
        connection != null ? connection : s.get("AZURE_STORAGE_CONNECTION_STRING"),
        s.duration("rollgate.azure.operation-poll", d.operationPoll()),
        s.duration("rollgate.azure.revision-timeout", d.revisionTimeout()),
        s.duration("rollgate.azure.job-timeout", d.jobTimeout()));
  }

  /** How often to poll, and how long revisions and job executions are waited for. */
  public AzureSettings withWaits(Duration poll, Duration revision, Duration job) {
    return new AzureSettings(
        subscription, endpoint, trustCertificate, storageConnectionString, poll, revision, job);
  }

  /**
   * ARM and Key Vault at the emulator's {@code endpoint}, its certificate trusted from {@code pem}.
   */
  public AzureSettings withEndpoint(String endpoint, String pem) {
    return new AzureSettings(
        subscription,
        endpoint,
        pem,
        storageConnectionString,
        operationPoll,
        revisionTimeout,
        jobTimeout);
  }

  /** Blob Storage through {@code connectionString} for the account it names. */
  public AzureSettings withStorageConnectionString(String connectionString) {
    return new AzureSettings(
        subscription,
        endpoint,
        trustCertificate,
        connectionString,
        operationPoll,
        revisionTimeout,
        jobTimeout);
  }

  @Override
  public String toString() {
    // A connection string may hold an account key: never shown.
    return "AzureSettings[subscription="
        + subscription
        + ", endpoint="
        + endpoint
        + ", trustCertificate="
        + trustCertificate
        + ", storageConnectionString="
        + (storageConnectionString == null ? "unset" : "set")
        + ", operationPoll="
        + operationPoll
        + ", revisionTimeout="
        + revisionTimeout
        + ", jobTimeout="
        + jobTimeout
        + "]";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
