package dev.rollgate.spring;

import dev.rollgate.core.api.BackupApi;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.backup.BackupService;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestLocations;
import dev.rollgate.core.port.BackupCatalog;
import dev.rollgate.core.port.BackupStore;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.DatabaseInspector;
import dev.rollgate.core.port.HealthProbe;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.Notifier;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.core.port.Snapshotter;
import dev.rollgate.ledger.JdbcBackupCatalog;
import dev.rollgate.ledger.JdbcLedger;
import dev.rollgate.migration.FlywayMigrationRunner;
import dev.rollgate.notify.LogNotifier;
import dev.rollgate.probe.HttpHealthProbe;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.messaging.Message;

/**
 * Assembles rollgate's core from whatever the adapters registered (platforms, secret resolvers, a
 * DataSource or ledger) and exposes the functions {@code imagePushed}, {@code promote}, {@code
 * reconcile}, {@code status}, {@code backup} and {@code verifyBackup} as Spring Cloud Function
 * beans.
 *
 * <p>Settings: {@code rollgate.manifest} (env {@code ROLLGATE_MANIFEST}, default {@code
 * rollgate.yaml}), {@code rollgate.ledger-url} (env {@code ROLLGATE_LEDGER_URL}, a JDBC URL, used
 * when no adapter provides a DataSource), {@code rollgate.budget} (env {@code ROLLGATE_BUDGET},
 * default {@code PT5M}).
 */
@AutoConfiguration
public class RollgateAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public Clock rollgateClock() {
    return Clock.system();
  }

  @Bean
  @ConditionalOnMissingBean
  public HealthProbe rollgateHealthProbe() {
    return new HttpHealthProbe();
  }

  @Bean
  public MigrationRunner flywayMigrationRunner() {
    return new FlywayMigrationRunner();
  }

  @Bean
  @ConditionalOnMissingBean
  public Notifier rollgateNotifier() {
    return new LogNotifier();
  }

  @Bean
  @ConditionalOnMissingBean(DataSource.class)
  public DataSource rollgateLedgerDataSource(Environment env) {
    return RollgateAssembly.ledgerDataSource(env.getProperty("rollgate.ledger-url"));
  }

  @Bean
  @ConditionalOnMissingBean
  public Ledger rollgateLedger(DataSource dataSource) {
    return JdbcLedger.migrateAndOpen(dataSource);
  }

  /** The ledger's own migration created the catalog's tables. */
  @Bean
  @ConditionalOnMissingBean
  public BackupCatalog rollgateBackupCatalog(DataSource dataSource, Ledger ledger) {
    return new JdbcBackupCatalog(dataSource);
  }

  @Bean
  @ConditionalOnMissingBean
  public RollgateSecrets rollgateSecrets(ObjectProvider<SecretResolver> secretResolvers) {
    return new RollgateSecrets(RollgateAssembly.secrets(secretResolvers.orderedStream().toList()));
  }

  /** Backups run where an adapter installed a backup store (a directory locally). */
  @Bean
  @ConditionalOnBean(BackupStore.class)
  @ConditionalOnMissingBean
  public BackupService rollgateBackupService(
      Manifest manifest,
      Ledger ledger,
      RollgateSecrets secrets,
      BackupStore store,
      ObjectProvider<Snapshotter> snapshotter,
      ObjectProvider<DatabaseInspector> inspector,
      BackupCatalog catalog,
      Notifier notifier,
      Clock clock) {
    return RollgateAssembly.backupService(
        manifest,
        ledger,
        secrets.resolver(),
        store,
        snapshotter.getIfAvailable(),
        inspector.getIfAvailable(),
        catalog,
        notifier,
        clock);
  }

  @Bean
  @ConditionalOnMissingBean
  public Manifest rollgateManifest(Environment env) {
    return ManifestLocations.load(env.getProperty("rollgate.manifest", "rollgate.yaml"));
  }

  @Bean
  public RollgateApi rollgateApi(
      Manifest manifest,
      Ledger ledger,
      ObjectProvider<ServicePlatform> platforms,
      ObjectProvider<MigrationRunner> runners,
      RollgateSecrets rollgateSecrets,
      BackupApi backupApi,
      HealthProbe probe,
      Notifier notifier,
      Clock clock,
      Environment env) {
    return RollgateAssembly.api(
        manifest,
        ledger,
        platforms.orderedStream().toList(),
        runners.orderedStream().toList(),
        rollgateSecrets.resolver(),
        backupApi,
        probe,
        notifier,
        clock,
        RollgateAssembly.engineSettings(env.getProperty("rollgate.lease"), null),
        RollgateAssembly.budget(env.getProperty("rollgate.budget")));
  }

  @Bean
  public BackupApi rollgateBackupApi(ObjectProvider<BackupService> backups) {
    return new BackupApi(backups.getIfAvailable());
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> imagePushed(RollgateApi api) {
    return RollgateAssembly.function("imagePushed", () -> api, () -> null);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> webhook(RollgateApi api) {
    return RollgateAssembly.function("webhook", () -> api, () -> null);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> promote(RollgateApi api) {
    return RollgateAssembly.function("promote", () -> api, () -> null);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> reconcile(RollgateApi api) {
    return RollgateAssembly.function("reconcile", () -> api, () -> null);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> status(RollgateApi api) {
    return RollgateAssembly.function("status", () -> api, () -> null);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> backup(BackupApi api) {
    return RollgateAssembly.function("backup", () -> null, () -> api);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> verifyBackup(BackupApi api) {
    return RollgateAssembly.function("verifyBackup", () -> null, () -> api);
  }

  /** The composite of every registered secret resolver, kept apart from the resolvers. */
  public record RollgateSecrets(SecretResolver resolver) {}
}
