package dev.rollgate.assembly;

import dev.rollgate.analysis.PrometheusGate;
import dev.rollgate.backup.PostgresInspector;
import dev.rollgate.backup.PostgresLogicalSnapshotter;
import dev.rollgate.backup.SameServerScratchDatabases;
import dev.rollgate.core.api.BackupApi;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.backup.BackupService;
import dev.rollgate.core.engine.DeploymentEngine;
import dev.rollgate.core.engine.EngineSettings;
import dev.rollgate.core.engine.Platforms;
import dev.rollgate.core.manifest.FlywayLocations;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.core.manifest.ManifestLocations;
import dev.rollgate.core.manifest.SecretReferences;
import dev.rollgate.core.port.BackupStore;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.HealthProbe;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.MetricsGate;
import dev.rollgate.core.port.Notifier;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.ledger.JdbcBackupCatalog;
import dev.rollgate.ledger.JdbcNotificationOutbox;
import dev.rollgate.ledger.LedgerSchema;
import dev.rollgate.migration.FlywayMigrationRunner;
import dev.rollgate.notify.LogNotifier;
import dev.rollgate.notify.OutboxDeliverer;
import dev.rollgate.notify.OutboxNotifier;
import dev.rollgate.probe.HttpHealthProbe;
import dev.rollgate.registry.RegistryApiDigestResolver;
import dev.rollgate.secrets.CompositeSecretResolver;
import dev.rollgate.secrets.EnvSecretResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The one way rollgate is put together, for every entry point: the extensions on the class path
 * contribute their parts, and the settings below choose among them. Defaults are stated here and
 * only here.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><td>{@code rollgate.manifest}</td><td>where the manifest is: a path, {@code classpath:},
 *       or any location a contributed source reads (default {@code rollgate.yaml})</td></tr>
 *   <tr><td>{@code rollgate.ledger-url}</td><td>the ledger's JDBC URL, or a secret reference
 *       holding it; needed unless an extension provides the ledger database</td></tr>
 *   <tr><td>{@code rollgate.backup-store}</td><td>a backup store URL of a contributed scheme
 *       (e.g. {@code s3://bucket/prefix}); default: the extension's default store, else no
 *       backups</td></tr>
 *   <tr><td>{@code rollgate.budget}</td><td>how long one invocation advances deployments
 *       (ISO-8601, default {@code PT5M})</td></tr>
 *   <tr><td>{@code rollgate.lease}</td><td>how long a lease lasts (ISO-8601, default the
 *       engine's, {@code PT60S})</td></tr>
 *   <tr><td>{@code rollgate.<extension>.enabled}</td><td>{@code false} leaves an extension out
 *       (default: every extension on the class path takes part, but those that say otherwise,
 *       like the embedded default's {@code rollgate.local.enabled})</td></tr>
 * </table>
 */
public final class RollgateAssembler {

  private static final Logger LOG = Logger.getLogger(RollgateAssembler.class.getName());

  /** A pool's size for a ledger given by URL: a function instance handles one event at a time. */
  static final int LEDGER_POOL = 2;

  private final Settings settings;
  private Supplier<List<RollgateExtension>> extensions = RollgateAssembler::installed;
  private Clock clock = Clock.system();
  private HealthProbe probe;
  private Notifier notifier;
  private MetricsGate metricsGate;
  private Supplier<String> owner = () -> "rollgate-" + UUID.randomUUID();

  private RollgateAssembler(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public static RollgateAssembler of(Settings settings) {
    return new RollgateAssembler(settings);
  }

  /** The extensions to use instead of those {@link ServiceLoader} finds. */
  public RollgateAssembler extensions(List<RollgateExtension> given) {
    List<RollgateExtension> copy = List.copyOf(given);
    this.extensions = () -> copy;
    return this;
  }

  public RollgateAssembler clock(Clock value) {
    this.clock = Objects.requireNonNull(value, "clock");
    return this;
  }

  public RollgateAssembler probe(HealthProbe value) {
    this.probe = Objects.requireNonNull(value, "probe");
    return this;
  }

  public RollgateAssembler notifier(Notifier value) {
    this.notifier = Objects.requireNonNull(value, "notifier");
    return this;
  }

  /** The gate of canary analyses instead of {@link PrometheusGate}. */
  public RollgateAssembler metricsGate(MetricsGate value) {
    this.metricsGate = Objects.requireNonNull(value, "metricsGate");
    return this;
  }

  /**
   * The lease-owner id, drawn when rollgate is assembled (so that instances restored from one
   * snapshot draw their own); default {@code rollgate-<random UUID>}.
   */
  public RollgateAssembler owner(Supplier<String> value) {
    this.owner = Objects.requireNonNull(value, "owner");
    return this;
  }

  /** The extensions {@link ServiceLoader} finds on the class path. */
  public static List<RollgateExtension> installed() {
    List<RollgateExtension> found = new ArrayList<>();
    ServiceLoader.load(RollgateExtension.class, RollgateAssembler.class.getClassLoader())
        .forEach(found::add);
    return found;
  }

  /**
   * Builds rollgate; on failure closes whatever the extensions had opened.
   *
   * @throws ManifestException when the manifest is invalid or names parts nobody contributed
   * @throws IllegalStateException when a setting is wrong; the message names it and the fix
   */
  public Rollgate assemble() {
    Contributions c = new Contributions(settings, clock);
    try {
      return assemble(c);
    } catch (RuntimeException | Error e) {
      Rollgate.closeAll(c.closeables());
      throw e;
    }
  }

  private Rollgate assemble(Contributions c) {
    List<RollgateExtension> enabled = new ArrayList<>();
    for (RollgateExtension e : extensions.get()) {
      String setting = settings.get("rollgate." + e.name() + ".enabled");
      if (setting == null ? e.enabledByDefault() : Boolean.parseBoolean(setting)) {
        enabled.add(e);
      }
    }
    c.migrationRunner(new FlywayMigrationRunner());
    for (RollgateExtension e : enabled) {
      c.from(e.name());
      e.beforeManifest(c);
    }
    SecretResolver secrets = secrets(c.secretResolvers());
    Manifest manifest =
        ManifestLocations.load(
            settings.get("rollgate.manifest", "rollgate.yaml"), c.manifestSources());
    manifest.warnings().forEach(w -> LOG.warning(() -> "rollgate.yaml: " + w));
    for (RollgateExtension e : enabled) {
      c.from(e.name());
      e.withManifest(manifest, c);
    }
    DataSource ledgerDb =
        c.ledgerDataSource() != null
            ? c.ledgerDataSource().get()
            : c.closeOnExit(
                LedgerUrls.pooled(
                    LedgerUrls.resolve(settings.get("rollgate.ledger-url"), secrets), LEDGER_POOL));
    Ledger ledger = LedgerSchema.open(ledgerDb);
    Notifier notify =
        notifier != null ? notifier : notifier(c, manifest, ledger, ledgerDb, secrets);
    BackupApi backups = new BackupApi(backups(c, manifest, ledger, secrets, ledgerDb, notify));
    Platforms platforms = new Platforms(c.platforms(), c.runners());
    List<String> problems = new ArrayList<>(platforms.validate(manifest));
    problems.addAll(FlywayLocations.problems(manifest, c.flywayLocationSchemes()));
    // Secret references against the schemes the installed resolvers read: a literal secret
    // (postgresql://u:PASSWORD@host/db) is refused here, before anything is served, and not echoed.
    problems.addAll(SecretReferences.problems(manifest, secrets.schemes()));
    if (!problems.isEmpty()) {
      throw new ManifestException(settings.get("rollgate.manifest", "rollgate.yaml"), problems);
    }
    EngineSettings engine = EngineSettings.defaults().withOwner(owner.get());
    String lease = settings.get("rollgate.lease");
    if (lease != null) {
      engine = engine.withLease(duration("rollgate.lease", lease));
    }
    DeploymentEngine deploymentEngine =
        new DeploymentEngine(
            manifest,
            ledger,
            platforms,
            probe != null ? probe : new HttpHealthProbe(),
            secrets,
            notify,
            clock,
            engine,
            metricsGate(secrets));
    Duration budget = duration("rollgate.budget", settings.get("rollgate.budget", "PT5M"));
    return new Rollgate(
        new RollgateApi(
            deploymentEngine,
            secrets,
            budget,
            backups,
            new RegistryApiDigestResolver(clock),
            c.isStatusPageOnLoopback()),
        backups,
        manifest,
        c.closeables());
  }

  /**
   * The gate that evaluates {@code strategy.canary.analysis.prometheus} for the engine: the one
   * given to {@link #metricsGate(MetricsGate)}, else a {@link PrometheusGate} whose bearer tokens
   * the assembly's secret resolvers read. Every entry (local host, clouds) assembles through here.
   */
  MetricsGate metricsGate(SecretResolver secrets) {
    return metricsGate != null ? metricsGate : new PrometheusGate(secrets);
  }

  /**
   * The log alone when the manifest names no notification channel; otherwise the log and the
   * ledger's outbox, delivered to the channels (docs/notifications.md).
   */
  private Notifier notifier(
      Contributions c,
      Manifest manifest,
      Ledger ledger,
      DataSource ledgerDb,
      SecretResolver secrets) {
    if (manifest.notifications().channels().isEmpty()) {
      return new LogNotifier();
    }
    return c.closeOnExit(
        new OutboxNotifier(
            new OutboxDeliverer(
                ledger,
                new JdbcNotificationOutbox(ledgerDb),
                manifest.notifications(),
                secrets,
                clock,
                Duration.ofSeconds(10))));
  }

  /** The extensions' resolvers first, then environment variables and files as the last resort. */
  static SecretResolver secrets(List<SecretResolver> contributed) {
    List<SecretResolver> resolvers = new ArrayList<>(contributed);
    resolvers.add(new EnvSecretResolver());
    return new CompositeSecretResolver(resolvers);
  }

  private BackupService backups(
      Contributions c,
      Manifest manifest,
      Ledger ledger,
      SecretResolver secrets,
      DataSource ledgerDb,
      Notifier notify) {
    BackupStore store = backupStore(c);
    if (store == null) {
      return null;
    }
    return new BackupService(
        manifest,
        ledger,
        secrets,
        new PostgresLogicalSnapshotter(store, new SameServerScratchDatabases(clock), clock),
        new PostgresInspector(),
        new JdbcBackupCatalog(ledgerDb),
        notify,
        clock);
  }

  private BackupStore backupStore(Contributions c) {
    String url = settings.get("rollgate.backup-store");
    if (url == null) {
      return c.defaultBackupStore();
    }
    int colon = url.indexOf(':');
    String scheme = colon > 0 ? url.substring(0, colon) : "";
    Function<String, BackupStore> factory = c.backupStoreSchemes().get(scheme);
    if (factory == null) {
      throw new IllegalStateException(
          "rollgate.backup-store: no installed adapter stores backups at '"
              + scheme
              + ":' URLs; installed: "
              + c.backupStoreSchemes().keySet().stream().sorted().map(s -> s + "://").toList());
    }
    return factory.apply(url);
  }

  private static Duration duration(String name, String value) {
    try {
      return Duration.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalStateException(
          name + ": expected an ISO-8601 duration like PT5M or PT15S, got '" + value + "'");
    }
  }
}
