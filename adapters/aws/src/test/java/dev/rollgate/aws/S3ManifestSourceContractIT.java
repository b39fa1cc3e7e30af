package dev.rollgate.aws;

import dev.rollgate.contract.ManifestSourceContract;
import dev.rollgate.core.manifest.ManifestSource;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Manifests at {@code s3://bucket/key} keep the manifest source contract, against moto's S3. */
@ExtendWith(MotoServer.Extension.class)
class S3ManifestSourceContractIT extends ManifestSourceContract {

  private static S3Client setup;
  private static AwsAdapter aws;
  private static String bucket;
  private static final AtomicInteger OBJECTS = new AtomicInteger();

  @BeforeAll
  static void start(MotoServer moto) {
    setup = moto.s3();
    aws = new AwsAdapter(moto.settings());
    bucket = "contract-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    setup.createBucket(b -> b.bucket(bucket));
  }

  @AfterAll
  static void stop() {
    aws.close();
    setup.close();
  }

  @Override
  protected ManifestSource source() {
    return aws.s3ManifestSource();
  }

  @Override
  protected String store(String text) {
    String key = "m" + OBJECTS.incrementAndGet() + "/rollgate.yaml";
    setup.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text));
    return "s3://" + bucket + "/" + key;
  }

  @Override
  protected String missing() {
    return "s3://" + bucket + "/none/rollgate.yaml";
  }
}
