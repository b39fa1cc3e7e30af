package dev.rollgate.aws;

import dev.rollgate.contract.SecretResolverContract;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** {@code aws-sm:} keeps the secret resolver contract, against moto's Secrets Manager. */
@ExtendWith(MotoServer.Extension.class)
class SecretsManagerSecretResolverContractIT extends SecretResolverContract {

  private static SecretsManagerClient setup;
  private static AwsAdapter aws;
  private static String prefix;
  private static final AtomicInteger SECRETS = new AtomicInteger();

  @BeforeAll
  static void start(MotoServer moto) {
    setup = moto.secretsManager();
    aws = new AwsAdapter(moto.settings());
    prefix = "contract/" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36) + "/";
  }

  @AfterAll
  static void stop() {
    aws.close();
    setup.close();
  }

  @Override
  protected SecretResolver resolver() {
    return aws.secretsManagerSecretResolver();
  }

  @Override
  protected SecretRef store(String value) {
    String name = prefix + SECRETS.incrementAndGet();
    setup.createSecret(b -> b.name(name).secretString(value));
    return new SecretRef("aws-sm", name);
  }

  @Override
  protected SecretRef absent() {
    return new SecretRef("aws-sm", prefix + "none");
  }
}
