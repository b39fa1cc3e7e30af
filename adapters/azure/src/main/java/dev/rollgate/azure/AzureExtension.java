package dev.rollgate.azure;

import dev.rollgate.assembly.Contributions;
import dev.rollgate.assembly.RollgateExtension;
import dev.rollgate.core.manifest.Manifest;

/**
 * The Azure adapter's contributions to rollgate (being built: issue 12): the {@code containerapps}
 * platform and its {@code job:} migrations (Container Apps Jobs); {@code azure-kv:} secrets (Key
 * Vault); manifests, backups and Flyway's {@code azblob:} locations in Blob Storage ({@code
 * azblob://ACCOUNT/CONTAINER/PATH} or the blob's {@code https://ACCOUNT.blob.core.windows.net/...}
 * URL). Settings are {@code rollgate.azure.*}, read once by {@link AzureSettings#from}; ARM and Key
 * Vault share the HTTP client and credential ({@link AzureClients}), so one {@code
 * rollgate.azure.endpoint} points both at the emulator. No client is built here: each is built on
 * first use.
 */
public final class AzureExtension implements RollgateExtension {

  private AzureClients azure;

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public void beforeManifest(Contributions c) {
    azure = new AzureClients(AzureSettings.from(c.settings()::get));
    contributeStores(c, azure);
  }

  /** Key Vault secrets, Blob Storage manifests and backups. */
  private static void contributeStores(Contributions c, AzureClients azure) {
    BlobStorage blobs = new BlobStorage(azure.settings());
    BlobFlywayLocations.install(blobs);
    c.flywayLocationScheme(BlobFlywayLocations.SCHEME);
    c.secretResolver(new KeyVaultSecretResolver(azure));
    c.manifestSource(new BlobManifestSource(blobs));
    c.backupStoreScheme(BlobLocation.SCHEME, url -> BlobBackupStore.of(blobs, url));
    c.backupStoreScheme("https", url -> BlobBackupStore.of(blobs, url));
  }

  @Override
  public void withManifest(Manifest manifest, Contributions c) {
    // Container Apps: the platform and its job runner share ARM clients, built on first use.
    ContainerAppsApi api = new ContainerAppsApi(azure);
    AzureFaults faults = AzureFaults.defaults(c.clock());
    c.platform(new ContainerAppsPlatform(api, faults, c.clock()));
    c.migrationRunner(new ContainerAppsJobRunner(api, faults, c.clock()));
  }
}
