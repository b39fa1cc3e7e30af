package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestException;
import dev.rollgate.core.manifest.ManifestLocations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Manifests read from {@code s3://bucket/key} on moto's S3. */
@ExtendWith(MotoServer.Extension.class)
class S3ManifestSourceIT {

  private static S3Client setup;
  private static AwsAdapter aws;
  private static String bucket;

  @BeforeAll
  static void start(MotoServer moto) throws IOException {
    setup = moto.s3();
    aws = new AwsAdapter(moto.settings());
    bucket = "config-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
    setup.createBucket(b -> b.bucket(bucket));
    try (InputStream in = S3ManifestSourceIT.class.getResourceAsStream("/s3/rollgate.yaml")) {
      byte[] yaml = in.readAllBytes();
      setup.putObject(b -> b.bucket(bucket).key("prod/rollgate.yaml"), RequestBody.fromBytes(yaml));
    }
    setup.putObject(
        b -> b.bucket(bucket).key("broken.yaml"),
        RequestBody.fromString("version: 1\napps:\n  - name: Shop\n"));
  }

  @AfterAll
  static void stop() {
    aws.close();
    setup.close();
  }

  @Test
  void loadManifest_shouldParseAndValidate_whenTheObjectExists() {
    // GIVEN the manifest uploaded to s3://<bucket>/prod/rollgate.yaml

    // WHEN
    Manifest manifest =
        ManifestLocations.load(
            "s3://" + bucket + "/prod/rollgate.yaml", List.of(aws.s3ManifestSource()));

    // THEN
    assertEquals("shop", manifest.apps().get(0).name());
    assertEquals(
        "prod", manifest.environment("shop", "production").orElseThrow().target().get("cluster"));
    assertEquals(Path.of(System.getProperty("java.io.tmpdir")), manifest.baseDir());
  }

  @Test
  void loadManifest_shouldNameTheObjectAndTheFix_whenTheKeyDoesNotExist() {
    // GIVEN
    String location = "s3://" + bucket + "/missing.yaml";

    // WHEN
    ManifestException e =
        assertThrows(
            ManifestException.class,
            () -> ManifestLocations.load(location, List.of(aws.s3ManifestSource())));

    // THEN
    assertTrue(e.getMessage().startsWith(location + " is invalid"), e.getMessage());
    assertTrue(e.getMessage().contains("NoSuchKey"), e.getMessage());
    assertTrue(e.getMessage().contains("fix ROLLGATE_MANIFEST"), e.getMessage());
  }

  @Test
  void loadManifest_shouldListTheProblemsWithTheirPaths_whenTheManifestIsInvalid() {
    // GIVEN
    String location = "s3://" + bucket + "/broken.yaml";

    // WHEN
    ManifestException e =
        assertThrows(
            ManifestException.class,
            () -> ManifestLocations.load(location, List.of(aws.s3ManifestSource())));

    // THEN
    assertTrue(e.getMessage().startsWith(location), e.getMessage());
    assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("apps[0].name")), e.getMessage());
  }

  @Test
  void loadManifest_shouldExplainTheForm_whenTheLocationHasNoKey() {
    // WHEN
    ManifestException e =
        assertThrows(
            ManifestException.class,
            () -> ManifestLocations.load("s3://" + bucket, List.of(aws.s3ManifestSource())));

    // THEN
    assertTrue(e.getMessage().contains("expected s3://bucket/key"), e.getMessage());
  }
}
