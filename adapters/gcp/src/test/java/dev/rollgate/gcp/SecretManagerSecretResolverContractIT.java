package dev.rollgate.gcp;

import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import dev.rollgate.contract.SecretResolverContract;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.gcp.emulator.GcpEmulator;
import dev.rollgate.gcp.emulator.SecretManagerSetup;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@code gcp-sm:} keeps the secret resolver contract, through Google's Secret Manager client
 * against the fake on a real port.
 */
class SecretManagerSecretResolverContractIT extends SecretResolverContract {

  private static final AtomicInteger SECRETS = new AtomicInteger();

  private static GcpEmulator emulator;
  private static GcpClients clients;
  private static SecretManagerServiceClient setup;
  private static SecretManagerSecretResolver resolver;

  @BeforeAll
  static void start() throws Exception {
    emulator = GcpEmulator.onPort(0);
    clients = new GcpClients(GcpSettings.defaults().withEmulatorHost(emulator.host()));
    setup = SecretManagerSetup.client(clients);
    resolver = new SecretManagerSecretResolver(clients);
  }

  @AfterAll
  static void stop() throws Exception {
    resolver.close();
    setup.close();
    clients.close();
    emulator.close();
  }

  @Override
  protected SecretResolver resolver() {
    return resolver;
  }

  @Override
  protected SecretRef store(String value) {
    String name = "contract-" + SECRETS.incrementAndGet();
    SecretManagerSetup.create(setup, "rollgate-test", name, value);
    return new SecretRef("gcp-sm", "projects/rollgate-test/secrets/" + name);
  }

  @Override
  protected SecretRef absent() {
    return new SecretRef("gcp-sm", "projects/rollgate-test/secrets/none");
  }
}
