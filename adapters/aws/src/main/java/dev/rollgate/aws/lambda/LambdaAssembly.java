package dev.rollgate.aws.lambda;

import dev.rollgate.aws.AwsAdapter;
import dev.rollgate.aws.AwsSettings;
import dev.rollgate.core.api.BackupApi;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestLocations;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.Notifier;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.ledger.JdbcBackupCatalog;
import dev.rollgate.migration.FlywayMigrationRunner;
import dev.rollgate.notify.LogNotifier;
import dev.rollgate.probe.HttpHealthProbe;
import dev.rollgate.spring.RollgateAssembly;
import java.io.Closeable;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.springframework.core.env.Environment;

/**
 * rollgate's core and AWS adapters for one Lambda instance, assembled on the first invocation, not
 * at init: a SnapStart snapshot then holds no connection, no credentials, no manifest and no
 * lease-owner id, and every instance restored from it draws its own owner id. Thread-safe.
 */
final class LambdaAssembly implements Closeable {

  /** Where ROLLGATE_LEDGER_URL may point instead of holding the JDBC URL itself. */
  private static final Set<String> LEDGER_SECRET_SCHEMES = Set.of("aws-sm", "env", "file");

  private final UnaryOperator<String> properties;
  private volatile Assembled assembled;

  /** Settings from Spring's environment ({@code ROLLGATE_LEDGER_URL} is rollgate.ledger-url). */
  LambdaAssembly(Environment env) {
    this(env::getProperty);
  }

  /** Settings by property name, e.g. {@code rollgate.ledger-url}; null when unset. */
  LambdaAssembly(UnaryOperator<String> properties) {
    this.properties = properties;
  }

  /** Where the manifest is read from: {@code rollgate.manifest}, by default rollgate.yaml. */
  String manifestLocation() {
    return property("rollgate.manifest", "rollgate.yaml");
  }

  private String property(String name, String otherwise) {
    String value = properties.apply(name);
    return value != null ? value : otherwise;
  }

  private String property(String name) {
    return properties.apply(name);
  }

  RollgateApi api() {
    return get().api();
  }

  BackupApi backups() {
    return get().backups();
  }

  /** True once the first invocation built everything (for tests of the lazy path). */
  boolean isAssembled() {
    return assembled != null;
  }

  private Assembled get() {
    Assembled a = assembled;
    if (a == null) {
      synchronized (this) {
        a = assembled;
        if (a == null) {
          a = build();
          assembled = a;
        }
      }
    }
    return a;
  }

  /** Builds everything; on failure closes what it opened (SDK clients, the ledger pool). */
  private Assembled build() {
    AwsAdapter aws = new AwsAdapter(settings());
    DataSource ledgerDb = null;
    try {
      aws.installFlywayS3Client();
      String location = manifestLocation();
      Manifest manifest =
          AwsAdapter.isS3Location(location)
              ? aws.loadManifest(location, null)
              : ManifestLocations.load(location);
      SecretResolver secrets =
          RollgateAssembly.secrets(List.of(aws.secretsManagerSecretResolver()));
      ledgerDb = RollgateAssembly.ledgerDataSource(ledgerUrl(secrets));
      return assemble(aws, manifest, secrets, ledgerDb);
    } catch (RuntimeException | Error e) {
      closeQuietly(ledgerDb);
      aws.close();
      throw e;
    }
  }

  private Assembled assemble(
      AwsAdapter aws, Manifest manifest, SecretResolver secrets, DataSource ledgerDb) {
    Clock clock = Clock.system();
    Ledger ledger = LedgerSchema.open(ledgerDb);
    Notifier notifier = new LogNotifier();
    BackupApi backups = backups(aws, manifest, ledger, secrets, ledgerDb, notifier, clock);
    // Drawn here, after a SnapStart restore, so that no two instances share a lease owner.
    String owner =
        "lambda-" + property("AWS_LAMBDA_LOG_STREAM_NAME", "local") + "-" + UUID.randomUUID();
    RollgateApi api =
        RollgateAssembly.api(
            manifest,
            ledger,
            List.of(aws.ecsPlatform()),
            List.of(new FlywayMigrationRunner(), aws.ecsTaskMigrationRunner(() -> manifest, clock)),
            secrets,
            backups,
            new HttpHealthProbe(),
            notifier,
            clock,
            RollgateAssembly.engineSettings(property("rollgate.lease"), owner),
            RollgateAssembly.budget(property("rollgate.budget")));
    return new Assembled(api, backups, aws, ledgerDb);
  }

  /**
   * {@code ROLLGATE_BACKUP_STORE} ({@code s3://bucket/prefix}) turns backups on; without it {@code
   * backup} and {@code verifyBackup} answer that backups are not installed.
   */
  private BackupApi backups(
      AwsAdapter aws,
      Manifest manifest,
      Ledger ledger,
      SecretResolver secrets,
      DataSource ledgerDb,
      Notifier notifier,
      Clock clock) {
    String store = property("rollgate.backup-store");
    if (store == null || store.isBlank()) {
      return new BackupApi(null);
    }
    return new BackupApi(
        RollgateAssembly.backupService(
            manifest,
            ledger,
            secrets,
            aws.s3BackupStore(store.trim()),
            null,
            null,
            new JdbcBackupCatalog(ledgerDb),
            notifier,
            clock));
  }

  /**
   * {@code ROLLGATE_LEDGER_URL}: a JDBC URL, or a secret reference ({@code aws-sm:NAME} or {@code
   * aws-sm:NAME#key}) holding one, resolved here so that the URL's password is in no Lambda setting
   * and in no snapshot.
   */
  private String ledgerUrl(SecretResolver secrets) {
    String url = property("rollgate.ledger-url");
    if (url == null || url.isBlank() || url.trim().startsWith("jdbc:")) {
      return url == null ? null : url.trim();
    }
    SecretRef ref = SecretRef.parse(url.trim());
    if (ref == null || !LEDGER_SECRET_SCHEMES.contains(ref.scheme()) || ref.name().contains("//")) {
      // Not repeated: a mistyped URL (postgresql://user:password@host/db) holds a password.
      throw new IllegalStateException(
          "ROLLGATE_LEDGER_URL is neither a JDBC URL (jdbc:postgresql://host/db?user=...&password=...)"
              + " nor a secret reference holding one (aws-sm:NAME, aws-sm:NAME#key, env:NAME,"
              + " file:PATH); its value is not repeated here, as it may hold a password");
    }
    return secrets
        .resolve(ref)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "ROLLGATE_LEDGER_URL: secret "
                        + ref
                        + " is not set or not readable: store the ledger's JDBC URL in it, or"
                        + " set ROLLGATE_LEDGER_URL to the JDBC URL itself"));
  }

  private AwsSettings settings() {
    return AwsSettings.from(properties);
  }

  @Override
  public synchronized void close() {
    Assembled a = assembled;
    if (a != null) {
      a.aws().close();
      closeQuietly(a.ledgerDb());
    }
  }

  private static void closeQuietly(DataSource pool) {
    if (pool instanceof Closeable c) {
      try {
        c.close();
      } catch (java.io.IOException e) {
        // Closing a pool that is being given up: nothing left to do about it.
      }
    }
  }

  private record Assembled(
      RollgateApi api, BackupApi backups, AwsAdapter aws, DataSource ledgerDb) {}
}
