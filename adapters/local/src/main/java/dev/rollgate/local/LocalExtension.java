package dev.rollgate.local;

import com.zaxxer.hikari.HikariDataSource;
import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.backup.DirectoryBackupStore;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.ledger.PooledDataSource;
import dev.rollgate.local.platform.LocalJobRunner;
import dev.rollgate.local.platform.ProcessPlatform;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * The embedded default's contributions: embedded PostgreSQL under {@code rollgate.home} (default
 * {@code .rollgate}) for the ledger (as rollgate's own least-privileged role) and the apps'
 * databases ({@code local-postgres:} secrets), the local process platform and its {@code job:}
 * migrations (processes), and a directory backup store under {@code <home>/backups}. Takes part
 * only when {@code rollgate.local.enabled} is true (the local host sets it): it starts a database
 * server.
 */
public final class LocalExtension implements RollgateExtension {

  private static final Logger LOG = Logger.getLogger(LocalExtension.class.getName());

  private Path home;

  @Override
  public String name() {
    return "local";
  }

  @Override
  public boolean enabledByDefault() {
    return false;
  }

  @Override
  public void beforeManifest(Contributions c) {
    home = Path.of(c.settings().get("rollgate.home", ".rollgate")).toAbsolutePath();
    EmbeddedDatabase database = c.closeOnExit(EmbeddedDatabase.start(home.resolve("pg")));
    // Its owner migrated the ledger's schema when the database started.
    HikariDataSource ledger =
        c.closeOnExit(PooledDataSource.of(database.ledgerDataSource(), 8, "rollgate-ledger"));
    c.ledgerDataSource(() -> ledger);
    c.secretResolver(new LocalPostgresSecretResolver(database));
    c.defaultBackupStore(new DirectoryBackupStore(home.resolve("backups")));
    // The host listens on 127.0.0.1 only (LocalHttp): its status page needs no read token.
    c.statusPageOnLoopback();
  }

  /**
   * The process platform, with every stable URL of the state directory back before the host serves:
   * they live in the host, so they are down while it is.
   */
  @Override
  public void withManifest(Manifest manifest, Contributions c) {
    ProcessPlatform platform =
        c.closeOnExit(new ProcessPlatform(home.resolve("platform"), manifest.baseDir(), c.clock()));
    for (String problem : platform.resume()) {
      LOG.warning("a stable URL is not back after the host started: " + problem);
    }
    c.platform(platform);
    c.migrationRunner(new LocalJobRunner(home.resolve("jobs"), System.getenv()));
  }
}
