package dev.rollgate.core.port;

import dev.rollgate.core.manifest.SecretRef;
import java.util.Optional;
import java.util.Set;

/** Turns a secret reference ({@code env:NAME}, ...) into its value. */
public interface SecretResolver {

  /** The reference schemes this resolver answers for. */
  Set<String> schemes();

  /** The secret's value, or empty when it does not exist. Never log the value. */
  Optional<String> resolve(SecretRef ref);
}
