package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import dev.rollgate.contract.SecretResolverContract;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * {@link KeyVaultSecretResolver} through azure-security-keyvault-secrets against {@link
 * KeyVaultFake} over HTTPS: the secret resolver contract, Key Vault's challenge, versions, disabled
 * secrets and both reference forms.
 */
class KeyVaultSecretResolverIT extends SecretResolverContract {

  private static KeyVaultFake vault;
  private static KeyVaultSecretResolver resolver;
  private static final List<String> SCOPES = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    FakeTls tls = FakeTls.create();
    vault = new KeyVaultFake(tls);
    TokenCredential credential =
        request -> {
          SCOPES.addAll(request.getScopes());
          return Mono.just(new AccessToken("fake-token", OffsetDateTime.now().plusHours(1)));
        };
    resolver =
        new KeyVaultSecretResolver(
            new AzureStoreSettings(null, vault.url()), () -> credential, tls.trustingClient());
  }

  @AfterAll
  static void stop() {
    vault.close();
  }

  @Override
  protected SecretResolver resolver() {
    return resolver;
  }

  @Override
  protected SecretRef store(String value) {
    String name = "s-" + System.nanoTime();
    vault.put(name, value, true);
    return SecretRef.parse("azure-kv:" + vault.url() + "/secrets/" + name);
  }

  @Override
  protected SecretRef absent() {
    return SecretRef.parse("azure-kv:" + vault.url() + "/secrets/never-stored");
  }

  @Test
  void resolve_shouldAnswerKeyVaultsChallenge_whenTheFirstRequestIsUnauthenticated() {
    // GIVEN a stored secret and a fresh resolver (its client has seen no challenge yet)
    vault.put("challenged", "v1", true);
    int before = vault.requests.size();

    // WHEN it is resolved by its short form, the vault at rollgate.azure.keyvault-endpoint
    Optional<String> value = resolver.resolve(SecretRef.parse("azure-kv:shopvault/challenged"));

    // THEN the value came back after a 401 challenge, with a token for the vault's resource
    assertEquals(Optional.of("v1"), value);
    List<String> seen = vault.requests.subList(0, vault.requests.size());
    assertTrue(seen.get(0).endsWith("(no token)"), seen.toString());
    assertTrue(seen.get(seen.size() - 1).endsWith("(bearer)"), seen.toString());
    assertTrue(vault.requests.size() > before);
    assertTrue(SCOPES.contains("https://vault.azure.net/.default"), SCOPES.toString());
  }

  @Test
  void resolve_shouldReadTheNamedVersion_whenTheReferenceHasOne() {
    // GIVEN two versions of a secret
    String first = vault.put("rotated", "old-value", true);
    vault.put("rotated", "new-value", true);

    // WHEN / THEN no version reads the newest, a version id reads that one
    assertEquals(
        Optional.of("new-value"),
        resolver.resolve(SecretRef.parse("azure-kv:" + vault.url() + "/secrets/rotated")));
    assertEquals(
        Optional.of("old-value"),
        resolver.resolve(SecretRef.parse("azure-kv:shopvault/rotated/" + first)));
  }

  @Test
  void resolve_shouldNameTheFixWithoutTheValue_whenTheSecretIsDisabled() {
    // GIVEN a secret whose current version is disabled
    vault.put("switched-off", "HIDDEN-VALUE", false);

    // WHEN it is resolved
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> resolver.resolve(SecretRef.parse("azure-kv:shopvault/switched-off")));

    // THEN the error names the reference and the fix, never the value
    assertTrue(e.getMessage().contains("azure-kv:shopvault/switched-off"), e.getMessage());
    assertTrue(e.getMessage().contains("disabled"), e.getMessage());
    assertFalse(e.getMessage().contains("HIDDEN-VALUE"), e.getMessage());
  }

  @Test
  void target_shouldMapTheShortFormToAzure_whenNoEndpointIsSet() {
    // GIVEN a resolver without an emulator's endpoint
    KeyVaultSecretResolver azure =
        new KeyVaultSecretResolver(new AzureStoreSettings(null, null), () -> null, null);

    // WHEN / THEN VAULT/NAME is https://VAULT.vault.azure.net, the URL form is taken as it is
    assertEquals(
        new KeyVaultSecretResolver.Target("https://shop-vault.vault.azure.net", "db", null),
        azure.target(SecretRef.parse("azure-kv:Shop-Vault/db")));
    assertEquals(
        new KeyVaultSecretResolver.Target(
            "https://shop.vault.azure.net", "db", "4387e9f3d6e14c459867679a90fd0f79"),
        azure.target(
            SecretRef.parse(
                "azure-kv:https://shop.vault.azure.net/secrets/db/4387e9f3d6e14c459867679a90fd0f79")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> azure.target(SecretRef.parse("azure-kv:shop-vault/db/latest")));
    assertTrue(e.getMessage().contains("azure-kv:VAULT/NAME"), e.getMessage());
  }
}
