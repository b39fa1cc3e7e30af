package dev.rollgate.secrets;

import dev.rollgate.contract.SecretResolverContract;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import java.util.HashMap;
import java.util.Map;

/** {@code env:} keeps the secret resolver contract. */
class EnvSecretResolverContractTest extends SecretResolverContract {
  private final Map<String, String> env = new HashMap<>();
  private final SecretResolver resolver = new EnvSecretResolver(env::get);

  @Override
  protected SecretResolver resolver() {
    return resolver;
  }

  @Override
  protected SecretRef store(String value) {
    String name = "SECRET_" + env.size();
    env.put(name, value);
    return new SecretRef("env", name);
  }

  @Override
  protected SecretRef absent() {
    return new SecretRef("env", "ROLLGATE_NO_SUCH_VARIABLE");
  }
}
