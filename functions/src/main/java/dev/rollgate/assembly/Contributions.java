package dev.rollgate.assembly;

import dev.rollgate.core.manifest.ManifestSource;
import dev.rollgate.core.port.BackupStore;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.core.port.ServicePlatform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * What the extensions contributed, collected while rollgate is assembled; each contribution is
 * named (a platform by its {@code target.platform} name, a backup store by its URL scheme) so that
 * two adapters claiming the same name is an error at start, not a silent choice.
 */
public final class Contributions {

  private final Settings settings;
  private final Clock clock;
  private final Map<String, ServicePlatform> platforms = new LinkedHashMap<>();
  private final List<MigrationRunner> runners = new ArrayList<>();
  private final List<SecretResolver> secretResolvers = new ArrayList<>();
  private final List<ManifestSource> manifestSources = new ArrayList<>();
  private final Map<String, Function<String, BackupStore>> backupStores = new LinkedHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Set<String> flywayLocationSchemes = new TreeSet<>();
  private Supplier<DataSource> ledgerDataSource;
  private BackupStore defaultBackupStore;
  private boolean statusPageOnLoopback;
  private String current = "rollgate";

  Contributions(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** rollgate's settings. */
  public Settings settings() {
    return settings;
  }

  /** The clock the engine uses. */
  public Clock clock() {
    return clock;
  }

  /** A platform, named by {@link ServicePlatform#name()} (what {@code target.platform} says). */
  public void platform(ServicePlatform platform) {
    String name = platform.name();
    if (platforms.containsKey(name)) {
      throw new IllegalStateException(
          current + " registers a second platform '" + name + "'; one adapter per platform name");
    }
    platforms.put(name, platform);
  }

  /** A migration runner (Flyway, a one-off job on a platform). */
  public void migrationRunner(MigrationRunner runner) {
    runners.add(Objects.requireNonNull(runner, "runner"));
  }

  /**
   * Flyway locations of {@code scheme} ({@code s3}, ...) are readable: the adapter has installed
   * what reads them. {@code classpath:} and {@code filesystem:} need no registration.
   */
  public void flywayLocationScheme(String scheme) {
    if (scheme == null || !scheme.matches("[a-z][a-z0-9+.-]*")) {
      throw new IllegalArgumentException(
          current + " registers the Flyway location scheme '" + scheme + "'; expected e.g. 's3'");
    }
    flywayLocationSchemes.add(scheme);
  }

  /** A resolver of the secret reference schemes it names. */
  public void secretResolver(SecretResolver resolver) {
    secretResolvers.add(Objects.requireNonNull(resolver, "resolver"));
  }

  /** A source of manifests at locations other than files and the classpath. */
  public void manifestSource(ManifestSource source) {
    manifestSources.add(Objects.requireNonNull(source, "source"));
  }

  /**
   * Backup stores at URLs of {@code scheme} ({@code s3}, ...): {@code rollgate.backup-store} set to
   * such a URL uses {@code factory}.
   */
  public void backupStoreScheme(String scheme, Function<String, BackupStore> factory) {
    if (backupStores.containsKey(scheme)) {
      throw new IllegalStateException(
          current + " registers a second backup store for '" + scheme + ":' URLs");
    }
    backupStores.put(scheme, Objects.requireNonNull(factory, "factory"));
  }

  /** The backup store used when {@code rollgate.backup-store} is not set (the embedded default). */
  public void defaultBackupStore(BackupStore store) {
    this.defaultBackupStore = Objects.requireNonNull(store, "store");
  }

  /** The ledger's database, instead of {@code rollgate.ledger-url} (the embedded default). */
  public void ledgerDataSource(Supplier<DataSource> dataSource) {
    if (ledgerDataSource != null) {
      throw new IllegalStateException(current + " provides a second ledger database");
    }
    this.ledgerDataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * Says that the host serves on 127.0.0.1 only (the local host), so that the status page needs no
   * read token there; every other entry asks for {@code status.read-token} (docs/adr/0021).
   */
  public void statusPageOnLoopback() {
    this.statusPageOnLoopback = true;
  }

  /** Closed when rollgate closes, or when assembling fails, newest first. */
  public <T extends AutoCloseable> T closeOnExit(T closeable) {
    closeables.add(Objects.requireNonNull(closeable, "closeable"));
    return closeable;
  }

  void from(String extension) {
    this.current = "extension '" + extension + "'";
  }

  List<ServicePlatform> platforms() {
    return List.copyOf(platforms.values());
  }

  List<MigrationRunner> runners() {
    return List.copyOf(runners);
  }

  Set<String> flywayLocationSchemes() {
    return Set.copyOf(flywayLocationSchemes);
  }

  List<SecretResolver> secretResolvers() {
    return List.copyOf(secretResolvers);
  }

  List<ManifestSource> manifestSources() {
    return List.copyOf(manifestSources);
  }

  Map<String, Function<String, BackupStore>> backupStoreSchemes() {
    return Map.copyOf(backupStores);
  }

  BackupStore defaultBackupStore() {
    return defaultBackupStore;
  }

  boolean isStatusPageOnLoopback() {
    return statusPageOnLoopback;
  }

  Supplier<DataSource> ledgerDataSource() {
    return ledgerDataSource;
  }

  List<AutoCloseable> closeables() {
    return List.copyOf(closeables);
  }
}
