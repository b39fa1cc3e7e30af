package dev.rollgate.spring;

import dev.rollgate.backup.PostgresInspector;
import dev.rollgate.backup.PostgresLogicalSnapshotter;
import dev.rollgate.backup.SameServerScratchDatabases;
import dev.rollgate.core.api.BackupApi;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.backup.BackupService;
import dev.rollgate.core.engine.DeploymentEngine;
import dev.rollgate.core.engine.EngineSettings;
import dev.rollgate.core.engine.Platforms;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestException;
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
import dev.rollgate.ledger.PooledDataSource;
import dev.rollgate.migration.FlywayMigrationRunner;
import dev.rollgate.notify.LogNotifier;
import dev.rollgate.probe.HttpHealthProbe;
import dev.rollgate.secrets.CompositeSecretResolver;
import dev.rollgate.secrets.EnvSecretResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
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
    String url = env.getProperty("rollgate.ledger-url");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException(
          "no ledger: set ROLLGATE_LEDGER_URL to a PostgreSQL JDBC URL"
              + " (jdbc:postgresql://host/db?user=...&password=...)");
    }
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setUrl(url);
    // A function instance handles one event at a time: two connections are plenty.
    return PooledDataSource.of(pg, 2, "rollgate-ledger");
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
    List<SecretResolver> resolvers = new ArrayList<>(secretResolvers.orderedStream().toList());
    resolvers.add(new EnvSecretResolver());
    return new RollgateSecrets(new CompositeSecretResolver(resolvers));
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
    return new BackupService(
        manifest,
        ledger,
        secrets.resolver(),
        snapshotter.getIfAvailable(
            () ->
                new PostgresLogicalSnapshotter(
                    store, new SameServerScratchDatabases(clock), clock)),
        inspector.getIfAvailable(PostgresInspector::new),
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
    Platforms registered =
        new Platforms(platforms.orderedStream().toList(), runners.orderedStream().toList());
    List<String> problems = registered.validate(manifest);
    if (!problems.isEmpty()) {
      throw new ManifestException("rollgate.yaml", problems);
    }
    SecretResolver secrets = rollgateSecrets.resolver();
    EngineSettings settings = EngineSettings.defaults();
    String lease = env.getProperty("rollgate.lease");
    if (lease != null) {
      settings = settings.withLease(Duration.parse(lease));
    }
    DeploymentEngine engine =
        new DeploymentEngine(
            manifest, ledger, registered, probe, secrets, notifier, clock, settings);
    Duration budget = Duration.parse(env.getProperty("rollgate.budget", "PT5M"));
    return new RollgateApi(engine, secrets, budget, backupApi);
  }

  @Bean
  public BackupApi rollgateBackupApi(ObjectProvider<BackupService> backups) {
    return new BackupApi(backups.getIfAvailable());
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> imagePushed(RollgateApi api) {
    return message -> Messages.reply(api.imagePushed(Messages.request(message)));
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> webhook(RollgateApi api) {
    return message -> Messages.reply(api.webhook(Messages.request(message)));
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> promote(RollgateApi api) {
    return message -> Messages.reply(api.promote(Messages.request(message)));
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> reconcile(RollgateApi api) {
    return message -> Messages.reply(api.reconcile(Messages.request(message)));
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> status(RollgateApi api) {
    return message -> Messages.reply(api.status(Messages.request(message)));
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> backup(BackupApi api) {
    return message -> Messages.reply(api.backup(Messages.request(message)));
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> verifyBackup(BackupApi api) {
    return message -> Messages.reply(api.verifyBackup(Messages.request(message)));
  }

  /** The composite of every registered secret resolver, kept apart from the resolvers. */
  public record RollgateSecrets(SecretResolver resolver) {}
}
