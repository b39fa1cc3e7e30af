package dev.rollgate.azure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.rollgate.contract.ManifestSourceContract;
import dev.rollgate.core.manifest.ManifestSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link BlobManifestSource} against the {@link ManifestSourceContract}, through azure-storage-blob
 * on Azurite's Blob service.
 */
class BlobManifestSourceIT extends ManifestSourceContract {

  private static final String CONTAINER = "deploy-config";

  private static Azurite azurite;
  private static BlobManifestSource source;
  private static BlobContainerClient container;

  @BeforeAll
  static void start() throws Exception {
    azurite = Azurite.start();
    container =
        new BlobServiceClientBuilder()
            .connectionString(azurite.connectionString())
            .buildClient()
            .createBlobContainer(CONTAINER);
    source =
        new BlobManifestSource(
            new BlobStorage(
                AzureSettings.defaults().withStorageConnectionString(azurite.connectionString())));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (azurite != null) {
      azurite.close();
    }
  }

  @Override
  protected ManifestSource source() {
    return source;
  }

  @Override
  protected String store(String text) {
    String name = "team/rollgate-" + System.nanoTime() + ".yaml";
    container.getBlobClient(name).upload(BinaryData.fromString(text));
    return "azblob://" + Azurite.ACCOUNT + "/" + CONTAINER + "/" + name;
  }

  @Override
  protected String missing() {
    return "azblob://" + Azurite.ACCOUNT + "/" + CONTAINER + "/nothing-here.yaml";
  }
}
