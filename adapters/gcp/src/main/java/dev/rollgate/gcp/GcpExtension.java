package dev.rollgate.gcp;

import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.core.manifest.Manifest;

/**
 * The Google Cloud adapter's contributions to rollgate: {@code gcp-sm:} secrets (Secret Manager),
 * manifests at {@code gs://bucket/object}, backups at {@code gs://bucket/prefix} and Flyway's
 * {@code gs:} locations (Cloud Storage). Settings: {@link GcpSettings#from}, and {@code
 * rollgate.gcp.storage-host} (else {@code STORAGE_EMULATOR_HOST}) for a Cloud Storage emulator. No
 * client is built here: each is built on first use.
 */
public final class GcpExtension implements RollgateExtension {

  private GcpClients clients;

  @Override
  public String name() {
    return "gcp";
  }

  @Override
  public void beforeManifest(Contributions c) {
    clients = c.closeOnExit(new GcpClients(GcpSettings.from(c.settings()::get)));
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
  public void withManifest(Manifest manifest, Contributions c) {}
}
