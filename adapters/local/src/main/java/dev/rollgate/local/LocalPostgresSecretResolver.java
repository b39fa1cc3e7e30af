package dev.rollgate.local;

import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves {@code local-postgres:NAME} to the JDBC URL of database NAME on the embedded server,
 * creating it on first use: an app's database on the embedded default needs no setup.
 */
public final class LocalPostgresSecretResolver implements SecretResolver {

  private final EmbeddedDatabase database;

  public LocalPostgresSecretResolver(EmbeddedDatabase database) {
    this.database = database;
  }

  @Override
  public Set<String> schemes() {
    return Set.of("local-postgres");
  }

  @Override
  public Optional<String> resolve(SecretRef ref) {
    return Optional.of(database.ensureDatabase(ref.name()));
  }
}
