package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The {@code aws-sm:} resolver against moto's Secrets Manager. */
@ExtendWith(MotoServer.Extension.class)
class SecretsManagerSecretResolverIT {

  private static final String JDBC = "jdbc:postgresql://db.internal:5432/shop?user=shop";
  private static final String JSON_SECRET =
      "{\"username\":\"shop\",\"password\":\"s3cr3t-p4ss\",\"port\":5432,\"engine\":\"postgres\"}";

  private static SecretsManagerClient setup;
  private static AwsAdapter aws;
  private static String prefix;

  @BeforeAll
  static void start(MotoServer moto) {
    setup = moto.secretsManager();
    aws = new AwsAdapter(moto.settings());
    prefix = "rg/" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36) + "/";
  }

  @AfterAll
  static void stop() {
    aws.close();
    setup.close();
  }

  @Test
  void resolve_shouldReturnTheSecretString_whenTheSecretExists() {
    // GIVEN
    setup.createSecret(b -> b.name(prefix + "shop-db").secretString(JDBC));
    SecretResolver resolver = aws.secretsManagerSecretResolver();

    // WHEN
    Optional<String> value = resolver.resolve(new SecretRef("aws-sm", prefix + "shop-db"));

    // THEN
    assertEquals(Optional.of(JDBC), value);
  }

  @Test
  void resolve_shouldPickOneKey_whenTheReferenceNamesAKeyOfAJsonSecret() {
    // GIVEN an RDS-style JSON secret, referred to by ARN
    String arn = setup.createSecret(b -> b.name(prefix + "rds").secretString(JSON_SECRET)).arn();
    SecretResolver resolver = aws.secretsManagerSecretResolver();

    // WHEN / THEN
    assertEquals(
        Optional.of("s3cr3t-p4ss"), resolver.resolve(new SecretRef("aws-sm", arn + "#password")));
    assertEquals(Optional.of("5432"), resolver.resolve(new SecretRef("aws-sm", arn + "#port")));
    assertEquals(Optional.empty(), resolver.resolve(new SecretRef("aws-sm", arn + "#host")));
  }

  @Test
  void resolve_shouldReturnEmpty_whenTheSecretDoesNotExist() {
    // GIVEN
    SecretResolver resolver = aws.secretsManagerSecretResolver();

    // WHEN
    Optional<String> value = resolver.resolve(new SecretRef("aws-sm", prefix + "nope"));

    // THEN
    assertEquals(Optional.empty(), value);
  }

  @Test
  void resolve_shouldDecodeUtf8_whenTheSecretIsBinary() {
    // GIVEN
    setup.createSecret(b -> b.name(prefix + "bin").secretBinary(SdkBytes.fromUtf8String(JDBC)));

    // WHEN
    Optional<String> value =
        aws.secretsManagerSecretResolver().resolve(new SecretRef("aws-sm", prefix + "bin"));

    // THEN
    assertEquals(Optional.of(JDBC), value);
  }

  @Test
  void resolve_shouldRefuseWithoutQuotingTheSecret_whenAKeyIsAskedOfAPlainSecret() {
    // GIVEN
    setup.createSecret(b -> b.name(prefix + "plain").secretString(JDBC));
    SecretRef ref = new SecretRef("aws-sm", prefix + "plain#password");

    // WHEN
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> aws.secretsManagerSecretResolver().resolve(ref));

    // THEN
    assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
    assertTrue(e.getMessage().contains(ref.toString()), e.getMessage());
    assertFalse(
        e.getMessage().contains("db.internal"), "the value stays secret: " + e.getMessage());
  }

  @Test
  void resolve_shouldSayItWillRetry_whenSecretsManagerCannotBeReached() {
    // GIVEN an endpoint nobody listens on
    AwsSettings unreachable =
        MotoServer.settings(URI.create("http://127.0.0.1:9"))
            .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(5), 2);
    try (AwsAdapter offline = new AwsAdapter(unreachable)) {
      // WHEN
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  offline
                      .secretsManagerSecretResolver()
                      .resolve(new SecretRef("aws-sm", prefix + "shop-db")));

      // THEN
      assertTrue(e.getMessage().contains("will retry"), e.getMessage());
      assertTrue(e.getMessage().contains("aws-sm:" + prefix + "shop-db"), e.getMessage());
    }
  }

  @Test
  void secretsManagerSecretResolver_shouldBuildNoClient_untilASecretIsResolved() {
    // GIVEN / WHEN
    try (AwsAdapter fresh = new AwsAdapter(aws.settings())) {
      fresh.secretsManagerSecretResolver();
      fresh.ecsPlatform();

      // THEN
      assertEquals(0, fresh.clientsBuilt(), "clients are built on first use");
    }
  }
}
