package dev.rollgate.assembly;

import dev.rollgate.core.api.BackupApi;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.manifest.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * rollgate assembled: its functions' APIs over one engine, ledger and manifest, and what the
 * extensions opened (SDK clients, connection pools, embedded servers), closed with it.
 */
public final class Rollgate implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Rollgate.class.getName());

  private final RollgateApi api;
  private final BackupApi backups;
  private final Manifest manifest;
  private final List<AutoCloseable> opened;

  Rollgate(RollgateApi api, BackupApi backups, Manifest manifest, List<AutoCloseable> opened) {
    this.api = api;
    this.backups = backups;
    this.manifest = manifest;
    this.opened = List.copyOf(opened);
  }

  /** Assembles rollgate from these settings and the extensions on the class path. */
  public static Rollgate assemble(Settings settings) {
    return RollgateAssembler.of(settings).assemble();
  }

  /** {@code imagePushed}, {@code webhook}, {@code promote}, {@code reconcile}, {@code status}. */
  public RollgateApi api() {
    return api;
  }

  /** {@code backup} and {@code verifyBackup}. */
  public BackupApi backups() {
    return backups;
  }

  public Manifest manifest() {
    return manifest;
  }

  /** Closes what the extensions opened, newest first; a failure to close one is logged. */
  @Override
  public void close() {
    closeAll(opened);
  }

  static void closeAll(List<AutoCloseable> opened) {
    List<AutoCloseable> newestFirst = new ArrayList<>(opened);
    java.util.Collections.reverse(newestFirst);
    for (AutoCloseable c : newestFirst) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing " + c.getClass().getSimpleName() + " failed", e);
      }
    }
  }
}
