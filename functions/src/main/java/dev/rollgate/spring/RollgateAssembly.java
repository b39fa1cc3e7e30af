package dev.rollgate.spring;

import dev.rollgate.backup.PostgresInspector;
import dev.rollgate.backup.PostgresLogicalSnapshotter;
import dev.rollgate.backup.SameServerScratchDatabases;
import dev.rollgate.core.api.BackupApi;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.backup.BackupService;
import dev.rollgate.core.engine.DeploymentEngine;
import dev.rollgate.core.engine.EngineSettings;
import dev.rollgate.core.engine.Platforms;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.core.manifest.SecretReferences;
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
import dev.rollgate.ledger.PooledDataSource;
import dev.rollgate.secrets.CompositeSecretResolver;
import dev.rollgate.secrets.EnvSecretResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.messaging.Message;

/**
 * How rollgate's core is put together from its parts, as plain static methods: shared by {@link
 * RollgateAutoConfiguration} (annotation-driven hosts) and the cloud entry points that register
 * their beans functionally for a faster cold start.
 */
public final class RollgateAssembly {

  /** Every function rollgate exposes, by the bean name hosts look it up under. */
  public static final List<String> FUNCTION_NAMES =
      List.of("imagePushed", "webhook", "promote", "reconcile", "status", "backup", "verifyBackup");

  /**
   * Message header holding the request's query parameters as a {@code Map<String, String>}; hosts
   * that carry HTTP requests set it.
   */
  public static final String QUERY_HEADER = Messages.QUERY;

  private RollgateAssembly() {}

  /**
   * A small pool over the ledger's PostgreSQL; opens no connection until first used.
   *
   * @throws IllegalStateException when {@code url} is missing
   */
  public static DataSource ledgerDataSource(String url) {
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

  /** The adapters' resolvers first, then environment variables as the last resort. */
  public static SecretResolver secrets(List<SecretResolver> adapters) {
    List<SecretResolver> resolvers = new ArrayList<>(adapters);
    resolvers.add(new EnvSecretResolver());
    return new CompositeSecretResolver(resolvers);
  }

  /**
   * The backup service over {@code store}; the snapshotter and inspector default to PostgreSQL's
   * logical snapshots when null.
   */
  public static BackupService backupService(
      Manifest manifest,
      Ledger ledger,
      SecretResolver secrets,
      BackupStore store,
      Snapshotter snapshotter,
      DatabaseInspector inspector,
      BackupCatalog catalog,
      Notifier notifier,
      Clock clock) {
    return new BackupService(
        manifest,
        ledger,
        secrets,
        snapshotter != null
            ? snapshotter
            : new PostgresLogicalSnapshotter(store, new SameServerScratchDatabases(clock), clock),
        inspector != null ? inspector : new PostgresInspector(),
        catalog,
        notifier,
        clock);
  }

  /**
   * The engine's settings.
   *
   * @param lease an ISO-8601 lease duration, or null for the default
   * @param owner the lease-owner id, or null for the engine's default (random per instance)
   */
  public static EngineSettings engineSettings(String lease, String owner) {
    EngineSettings settings = EngineSettings.defaults();
    if (lease != null) {
      settings = settings.withLease(Duration.parse(lease));
    }
    if (owner != null) {
      settings = settings.withOwner(owner);
    }
    return settings;
  }

  /**
   * The functions' API over a new engine.
   *
   * @throws ManifestException when the manifest names a platform or runner nobody registered
   */
  public static RollgateApi api(
      Manifest manifest,
      Ledger ledger,
      List<ServicePlatform> platforms,
      List<MigrationRunner> runners,
      SecretResolver secrets,
      BackupApi backupApi,
      HealthProbe probe,
      Notifier notifier,
      Clock clock,
      EngineSettings settings,
      Duration budget) {
    Platforms registered = new Platforms(platforms, runners);
    List<String> problems = new ArrayList<>(registered.validate(manifest));
    // Secret references against the schemes the installed resolvers read: a literal secret
    // (postgresql://u:PASSWORD@host/db) is refused here, before anything is served, and not echoed.
    problems.addAll(SecretReferences.problems(manifest, secrets.schemes()));
    if (!problems.isEmpty()) {
      throw new ManifestException("rollgate.yaml", problems);
    }
    DeploymentEngine engine =
        new DeploymentEngine(
            manifest, ledger, registered, probe, secrets, notifier, clock, settings);
    return new RollgateApi(engine, secrets, budget, backupApi);
  }

  /** {@code rollgate.budget}: ISO-8601, default five minutes. */
  public static Duration budget(String value) {
    return Duration.parse(value == null ? "PT5M" : value);
  }

  /**
   * The function named {@code name} (one of {@link #FUNCTION_NAMES}) as a Spring message function.
   * The APIs are fetched on each call, so that a host may build them on first use.
   */
  public static Function<Message<byte[]>, Message<String>> function(
      String name, Supplier<RollgateApi> api, Supplier<BackupApi> backups) {
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(backups, "backups");
    BiFunction<Supplier<RollgateApi>, FunctionRequest, FunctionResponse> call =
        switch (name) {
          case "imagePushed" -> (a, r) -> a.get().imagePushed(r);
          case "webhook" -> (a, r) -> a.get().webhook(r);
          case "promote" -> (a, r) -> a.get().promote(r);
          case "reconcile" -> (a, r) -> a.get().reconcile(r);
          case "status" -> (a, r) -> a.get().status(r);
          case "backup" -> (a, r) -> backups.get().backup(r);
          case "verifyBackup" -> (a, r) -> backups.get().verifyBackup(r);
          default ->
              throw new IllegalArgumentException(
                  "no rollgate function '" + name + "': use one of " + FUNCTION_NAMES);
        };
    return message -> Messages.reply(call.apply(api, Messages.request(message)));
  }
}
