package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestLocations;
import dev.rollgate.core.manifest.SecretRef;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.containers.localstack.LocalStackContainer.Service;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Secrets Manager resolver and S3 manifests against LocalStack, where a Docker engine exists
 * (skipped otherwise; our machines have none). LocalStack's community image has no ECS: the ECS
 * adapter is proven on moto (EcsPlatformMotoIT).
 */
@Testcontainers(disabledWithoutDocker = true)
class AwsLocalStackIT {

  @Container
  static final LocalStackContainer LOCALSTACK =
      new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8.1"))
          .withServices(Service.SECRETSMANAGER, Service.S3);

  private static AwsSettings settings() {
    return AwsSettings.defaults()
        .withRegion(LOCALSTACK.getRegion())
        .withEndpoint(LOCALSTACK.getEndpoint())
        .withCredentials(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())));
  }

  @Test
  void resolve_shouldReadAKeyOfAJsonSecret_whenTheSecretIsInLocalStack() {
    // GIVEN
    try (SecretsManagerClient setup =
            SecretsManagerClient.builder()
                .endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(settings().credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        AwsAdapter aws = new AwsAdapter(settings())) {
      setup.createSecret(
          b -> b.name("shop/db").secretString("{\"url\":\"jdbc:postgresql://db/shop\"}"));

      // WHEN
      Optional<String> url =
          aws.secretsManagerSecretResolver().resolve(new SecretRef("aws-sm", "shop/db#url"));

      // THEN
      assertEquals(Optional.of("jdbc:postgresql://db/shop"), url);
    }
  }

  @Test
  void loadManifest_shouldParseTheManifest_whenItIsInLocalStackS3() throws IOException {
    // GIVEN
    try (S3Client setup =
            S3Client.builder()
                .endpointOverride(LOCALSTACK.getEndpoint())
                .forcePathStyle(true)
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(settings().credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        AwsAdapter aws = new AwsAdapter(settings());
        InputStream yaml = AwsLocalStackIT.class.getResourceAsStream("/s3/rollgate.yaml")) {
      setup.createBucket(b -> b.bucket("config"));
      setup.putObject(
          b -> b.bucket("config").key("rollgate.yaml"), RequestBody.fromBytes(yaml.readAllBytes()));

      // WHEN
      Manifest manifest =
          ManifestLocations.load("s3://config/rollgate.yaml", List.of(aws.s3ManifestSource()));

      // THEN
      assertEquals("shop", manifest.apps().get(0).name());
    }
  }
}
