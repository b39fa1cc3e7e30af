package dev.rollgate.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SecretResolver} must do, whatever keeps the secrets: a new resolver (Secret
 * Manager, Key Vault, ...) proves itself by extending this class.
 */
public abstract class SecretResolverContract {

  /** The resolver under test. */
  protected abstract SecretResolver resolver();

  /** Stores {@code value} where the resolver reads it; the reference that names it. */
  protected abstract SecretRef store(String value) throws Exception;

  /** A reference of the resolver's scheme to a secret that does not exist. */
  protected abstract SecretRef absent();

  @Test
  void resolve_shouldReturnTheValue_whenTheSecretExists() throws Exception {
    // GIVEN a stored secret with characters a URL or a shell would mangle
    String value = "jdbc:postgresql://db/x?user=u&password=p@ss w0rd/" + UUID.randomUUID();
    SecretRef ref = store(value);
    // WHEN / THEN it comes back as stored, under a scheme the resolver says it answers for
    assertEquals(Optional.of(value), resolver().resolve(ref));
    assertTrue(resolver().schemes().contains(ref.scheme()), resolver().schemes().toString());
  }

  @Test
  void resolve_shouldReturnEmpty_whenTheSecretDoesNotExist() {
    // GIVEN / WHEN / THEN a missing secret is absent, not an error
    assertEquals(Optional.empty(), resolver().resolve(absent()));
  }

  @Test
  void resolve_shouldRefuseWithoutEchoingIt_whenTheSchemeIsNotItsOwn() {
    // GIVEN what parses as a reference of a scheme it does not read: maybe a pasted literal
    SecretRef foreign = new SecretRef("postgresql", "//u:PASSW0RD-PART@db/x");
    assertFalse(resolver().schemes().contains("postgresql"));
    // WHEN / THEN it refuses rather than guessing, naming what it reads and never the value
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> resolver().resolve(foreign));
    assertFalse(e.getMessage().contains("PASSW0RD-PART"), e.getMessage());
    for (String scheme : resolver().schemes()) {
      assertTrue(e.getMessage().contains(scheme), e.getMessage());
    }
  }

  @Test
  void toString_shouldNotShowAValue_whenSecretsWereResolved() throws Exception {
    // GIVEN a resolved secret
    String value = "never-show-" + UUID.randomUUID();
    resolver().resolve(store(value));
    // WHEN / THEN the resolver's description (what logs and errors print) does not hold it
    assertFalse(String.valueOf(resolver()).contains(value));
  }
}
