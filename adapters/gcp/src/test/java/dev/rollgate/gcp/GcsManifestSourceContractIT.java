package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import dev.rollgate.contract.ManifestSourceContract;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.core.manifest.ManifestSource;
import dev.rollgate.gcp.emulator.StorageFake;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Manifests at {@code gs://bucket/object} keep the manifest source contract, through
 * google-cloud-storage's HTTP transport against the Cloud Storage fake on an ephemeral port.
 */
class GcsManifestSourceContractIT extends ManifestSourceContract {

  private static final String BUCKET = "deploy-config";
  private static final AtomicInteger OBJECTS = new AtomicInteger();

  private static StorageFake fake;
  private static GcsStorage storage;

  @BeforeAll
  static void start() throws Exception {
    fake = StorageFake.onPort(0);
    storage = new GcsStorage(fake.host(), "rollgate-test");
    storage.get().create(BucketInfo.of(BUCKET));
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    fake.close();
  }

  @Override
  protected ManifestSource source() {
    return new GcsManifestSource(storage);
  }

  @Override
  protected String store(String text) {
    String name = "m" + OBJECTS.incrementAndGet() + "/rollgate.yaml";
    storage
        .get()
        .create(BlobInfo.newBuilder(BUCKET, name).build(), text.getBytes(StandardCharsets.UTF_8));
    return "gs://" + BUCKET + "/" + name;
  }

  @Override
  protected String missing() {
    return "gs://" + BUCKET + "/none/rollgate.yaml";
  }

  @Test
  void read_shouldSayHowToUploadIt_whenTheObjectIsMissing() {
    // GIVEN / WHEN a location where nothing is stored
    ManifestException e = assertThrows(ManifestException.class, () -> source().read(missing()));

    // THEN the error names it, Cloud Storage's answer and the fix
    assertTrue(e.getMessage().contains(missing()), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    assertTrue(e.getMessage().contains("gcloud storage cp rollgate.yaml"), e.getMessage());
  }

  @Test
  void read_shouldNameTheForm_whenTheLocationIsNoObject() {
    // GIVEN / WHEN / THEN a bucket alone, and a bucket name Cloud Storage refuses
    for (String bad :
        new String[] {"gs://deploy-config", "gs://deploy-config/", "gs://UP/x.yaml"}) {
      ManifestException e = assertThrows(ManifestException.class, () -> source().read(bad));
      assertTrue(e.getMessage().contains(bad), e.getMessage());
      assertTrue(e.getMessage().contains("gs://deploy-config/rollgate.yaml"), e.getMessage());
    }
  }
}
