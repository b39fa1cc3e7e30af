package dev.rollgate.secrets;

import dev.rollgate.contract.SecretResolverContract;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@code file:} keeps the secret resolver contract. */
class FileSecretResolverContractTest extends SecretResolverContract {
  @TempDir Path dir;
  private final SecretResolver resolver = new EnvSecretResolver(name -> null);

  @Override
  protected SecretResolver resolver() {
    return resolver;
  }

  @Override
  protected SecretRef store(String value) throws Exception {
    Path file = Files.createTempFile(dir, "secret", "");
    Files.writeString(file, value + "\n");
    return new SecretRef("file", file.toString());
  }

  @Override
  protected SecretRef absent() {
    return new SecretRef("file", dir.resolve("none").toString());
  }
}
