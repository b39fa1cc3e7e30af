package dev.rollgate.spring;

import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.engine.DeploymentEngine;
import dev.rollgate.core.engine.EngineSettings;
import dev.rollgate.core.engine.Platforms;
import dev.rollgate.core.engine.Promoter;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.core.manifest.ManifestLocations;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.HealthProbe;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.Notifier;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.core.port.ServicePlatform;
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
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.messaging.Message;

/**
 * Assembles rollgate's core from whatever the adapters registered (platforms, secret resolvers, a
 * DataSource or ledger) and exposes the functions {@code imagePushed}, {@code promote}, {@code
 * reconcile} and {@code status} as Spring Cloud Function beans.
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
  @ConditionalOnMissingBean
  public Ledger rollgateLedger(ObjectProvider<DataSource> dataSource, Environment env) {
    DataSource ds = dataSource.getIfAvailable();
    if (ds == null) {
      String url = env.getProperty("rollgate.ledger-url");
      if (url == null || url.isBlank()) {
        throw new IllegalStateException(
            "no ledger: set ROLLGATE_LEDGER_URL to a PostgreSQL JDBC URL"
                + " (jdbc:postgresql://host/db?user=...&password=...)");
      }
      PGSimpleDataSource pg = new PGSimpleDataSource();
      pg.setUrl(url);
      // A function instance handles one event at a time: two connections are plenty.
      ds = PooledDataSource.of(pg, 2, "rollgate-ledger");
    }
    return JdbcLedger.migrateAndOpen(ds);
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
      ObjectProvider<SecretResolver> secretResolvers,
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
    List<SecretResolver> resolvers = new ArrayList<>(secretResolvers.orderedStream().toList());
    resolvers.add(new EnvSecretResolver());
    SecretResolver secrets = new CompositeSecretResolver(resolvers);
    EngineSettings settings = EngineSettings.defaults();
    String lease = env.getProperty("rollgate.lease");
    if (lease != null) {
      settings = settings.withLease(Duration.parse(lease));
    }
    DeploymentEngine engine =
        new DeploymentEngine(
            manifest, ledger, registered, probe, secrets, notifier, clock, settings);
    Duration budget = Duration.parse(env.getProperty("rollgate.budget", "PT5M"));
    return new RollgateApi(engine, new Promoter(manifest, ledger, secrets, clock), budget);
  }

  @Bean
  public Function<Message<byte[]>, Message<String>> imagePushed(RollgateApi api) {
    return message -> Messages.reply(api.imagePushed(Messages.request(message)));
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
}
