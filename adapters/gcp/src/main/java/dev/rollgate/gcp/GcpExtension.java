package dev.rollgate.gcp;

import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.core.manifest.Manifest;

/**
 * The Google Cloud adapter's contributions to rollgate: {@code gcp-sm:} secrets (Secret Manager),
 * manifests at {@code gs://bucket/object}, backups at {@code gs://bucket/prefix} and Flyway's
 * {@code gs:} locations (Cloud Storage), the {@code cloudrun} platform and its {@code job:}
 * migrations (Cloud Run Jobs). Settings: {@link GcpSettings#from}, and {@code
 * rollgate.gcp.storage-host} (else {@code STORAGE_EMULATOR_HOST}) for a Cloud Storage emulator. No
 * client is built here: each is built on first use.
 */
public final class GcpExtension implements RollgateExtension {

  private GcpClients clients;
  private CloudRunClients cloudRun;

  @Override
  public String name() {
    return "gcp";
  }

  @Override
  public void beforeManifest(Contributions c) {
    clients = c.closeOnExit(new GcpClients(GcpSettings.from(c.settings()::get)));
    cloudRun = null;
    contributeStores(c);
  }

  /**
   * {@code gcp-sm:} secrets, manifests at {@code gs://bucket/object}, backups at {@code
   * gs://bucket/prefix} and Flyway's {@code gs:} locations; Cloud Storage at {@code
   * rollgate.gcp.storage-host} (else {@code STORAGE_EMULATOR_HOST}) when set.
   */
  private void contributeStores(Contributions c) {
    GcsStorage storage = c.closeOnExit(GcsStorage.from(c.settings()::get, clients.settings()));
    GcsFlywayLocations.install(storage);
    c.flywayLocationScheme(GcsFlywayLocations.SCHEME);
    c.secretResolver(c.closeOnExit(new SecretManagerSecretResolver(clients)));
    c.manifestSource(new GcsManifestSource(storage));
    c.backupStoreScheme("gs", url -> GcsBackupStore.of(storage, url));
  }

  @Override
  public void withManifest(Manifest manifest, Contributions c) {
    // Cloud Run: the platform and its job runner share clients, built on first use.
    if (cloudRun == null) {
      cloudRun = c.closeOnExit(new CloudRunClients(clients));
    }
    GcpFaults faults = GcpFaults.defaults(c.clock());
    c.platform(
        new CloudRunPlatform(new CloudRunServices(cloudRun), faults, clients.settings().project()));
    c.migrationRunner(
        new CloudRunJobRunner(new CloudRunJobs(cloudRun), faults, c.clock(), clients.settings()));
  }
}
