package dev.rollgate.azure;

import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.core.manifest.Manifest;

/**
 * The Azure adapter's contributions to rollgate (being built: issue 12): the {@code containerapps}
 * platform and its {@code job:} migrations (Container Apps Jobs); {@code azure-kv:} secrets (Key
 * Vault); manifests, backups and Flyway's {@code azblob:} locations in Blob Storage ({@code
 * azblob://ACCOUNT/CONTAINER/PATH} or the blob's {@code https://ACCOUNT.blob.core.windows.net/...}
 * URL). Settings are {@code rollgate.azure.*} ({@link AzureSettings#from} for ARM, {@link
 * AzureStoreSettings} for the stores). No client is built here: each is built on first use.
 */
public final class AzureExtension implements RollgateExtension {

  private AzureClients arm;

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public void beforeManifest(Contributions c) {
    arm = new AzureClients(AzureSettings.from(c.settings()::get));
    contributeStores(c);
  }

  /** Key Vault secrets, Blob Storage manifests and backups. */
  private static void contributeStores(Contributions c) {
    AzureStoreSettings stores = AzureStoreSettings.from(c.settings()::get);
    BlobStorage blobs = new BlobStorage(stores);
    BlobFlywayLocations.install(blobs);
    c.flywayLocationScheme(BlobFlywayLocations.SCHEME);
    c.secretResolver(new KeyVaultSecretResolver(stores));
    c.manifestSource(new BlobManifestSource(blobs));
    c.backupStoreScheme(BlobLocation.SCHEME, url -> BlobBackupStore.of(blobs, url));
    c.backupStoreScheme("https", url -> BlobBackupStore.of(blobs, url));
  }

  @Override
  public void withManifest(Manifest manifest, Contributions c) {
    // Container Apps: the platform and its job runner share ARM clients, built on first use.
    ContainerAppsApi api = new ContainerAppsApi(arm);
    AzureFaults faults = AzureFaults.defaults(c.clock());
    c.platform(new ContainerAppsPlatform(api, faults, c.clock()));
    c.migrationRunner(new ContainerAppsJobRunner(api, faults, c.clock()));
  }
}
