package dev.rollgate.secrets;

import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Answers every scheme its resolvers know, handing each reference to the one that owns it. */
public final class CompositeSecretResolver implements SecretResolver {

  private final Map<String, SecretResolver> byScheme;

  /**
   * @throws IllegalArgumentException when two resolvers claim the same scheme, since which one wins
   *     would otherwise depend on registration order
   */
  public CompositeSecretResolver(List<? extends SecretResolver> resolvers) {
    Map<String, SecretResolver> map = new TreeMap<>();
    for (SecretResolver resolver : Objects.requireNonNull(resolvers, "resolvers")) {
      Objects.requireNonNull(resolver, "resolver");
      for (String scheme : resolver.schemes()) {
        SecretResolver previous = map.putIfAbsent(scheme, resolver);
        if (previous != null) {
          throw new IllegalArgumentException(
              "secret scheme '"
                  + scheme
                  + "' is claimed by both "
                  + previous.getClass().getSimpleName()
                  + " and "
                  + resolver.getClass().getSimpleName()
                  + "; register only one resolver per scheme");
        }
      }
    }
    this.byScheme = Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  public static CompositeSecretResolver of(SecretResolver... resolvers) {
    return new CompositeSecretResolver(List.of(resolvers));
  }

  @Override
  public Set<String> schemes() {
    return byScheme.keySet();
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when no resolver knows the reference's scheme
   */
  @Override
  public Optional<String> resolve(SecretRef ref) {
    Objects.requireNonNull(ref, "ref");
    SecretResolver resolver = byScheme.get(ref.scheme());
    if (resolver == null) {
      // The reference is not repeated: a value whose scheme nobody reads may be a literal secret.
      throw new IllegalArgumentException(
          "secret reference: unknown scheme (the value is not shown: it may be a literal secret);"
              + " known schemes: "
              + (byScheme.isEmpty() ? "(none registered)" : String.join(", ", byScheme.keySet())));
    }
    return resolver.resolve(ref);
  }

  @Override
  public String toString() {
    return "CompositeSecretResolver" + byScheme.keySet();
  }
}
