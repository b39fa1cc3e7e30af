package dev.rollgate.local;

import com.zaxxer.hikari.HikariDataSource;
import dev.rollgate.backup.DirectoryBackupStore;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.port.BackupStore;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.ledger.JdbcLedger;
import dev.rollgate.ledger.PooledDataSource;
import dev.rollgate.local.platform.ProcessPlatform;
import dev.rollgate.spring.RollgateAutoConfiguration;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Registers the embedded default: embedded PostgreSQL under {@code rollgate.home} (default {@code
 * .rollgate}) for the ledger and the apps' databases, the local process platform, and a directory
 * backup store under {@code <home>/backups}. Active when {@code rollgate.local.enabled} is true
 * (the local host sets it).
 */
@AutoConfiguration(before = RollgateAutoConfiguration.class)
@ConditionalOnProperty(name = "rollgate.local.enabled", havingValue = "true")
public class LocalAutoConfiguration {

  private static final Logger LOG = Logger.getLogger(LocalAutoConfiguration.class.getName());

  static Path home(Environment env) {
    return Path.of(env.getProperty("rollgate.home", ".rollgate")).toAbsolutePath();
  }

  @Bean(destroyMethod = "close")
  public EmbeddedDatabase rollgateEmbeddedDatabase(Environment env) {
    return EmbeddedDatabase.start(home(env).resolve("pg"));
  }

  @Bean(destroyMethod = "close")
  public HikariDataSource rollgateLedgerDataSource(EmbeddedDatabase database) {
    return PooledDataSource.of(database.ledgerDataSource(), 8, "rollgate-ledger");
  }

  /**
   * The ledger over rollgate's own role. Its owner migrated the schema when the database started,
   * so this one does not try to (it may not alter anything).
   */
  @Bean
  public Ledger localLedger(HikariDataSource rollgateLedgerDataSource) {
    return new JdbcLedger(rollgateLedgerDataSource);
  }

  @Bean
  public SecretResolver localPostgresSecretResolver(EmbeddedDatabase database) {
    return new LocalPostgresSecretResolver(database);
  }

  /** Backups of the apps' databases go to {@code <home>/backups}. */
  @Bean
  public BackupStore localBackupStore(Environment env) {
    return new DirectoryBackupStore(home(env).resolve("backups"));
  }

  /**
   * The process platform, with every stable URL of the state directory back before the host serves:
   * they live in the host, so they are down while it is.
   */
  @Bean(destroyMethod = "close")
  public ServicePlatform localProcessPlatform(Manifest manifest, Clock clock, Environment env) {
    ProcessPlatform platform =
        new ProcessPlatform(home(env).resolve("platform"), manifest.baseDir(), clock);
    for (String problem : platform.resume()) {
      LOG.warning("a stable URL is not back after the host started: " + problem);
    }
    return platform;
  }
}
