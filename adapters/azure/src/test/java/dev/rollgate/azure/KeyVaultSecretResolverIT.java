package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.azure.emulator.ArmFake;
import dev.rollgate.contract.SecretResolverContract;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyVaultSecretResolver} through azure-security-keyvault-secrets against the Key Vault
 * secrets of {@link ArmFake} over HTTPS, configured as rollgate.azure.endpoint and
 * rollgate.azure.trust-certificate configure it: the secret resolver contract, Key Vault's
 * challenge, versions, disabled secrets and both reference forms.
 */
class KeyVaultSecretResolverIT extends SecretResolverContract {

  private static ArmFake vault;
  private static KeyVaultSecretResolver resolver;

  @BeforeAll
  static void start() throws Exception {
    vault = ArmFake.start(0);
    AzureSettings settings =
        AzureSettings.defaults().withEndpoint(vault.endpoint(), vault.certificate().toString());
    resolver = new KeyVaultSecretResolver(new AzureClients(settings));
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
    vault.putSecret(name, value, true);
    return SecretRef.parse("azure-kv:" + vault.endpoint() + "/secrets/" + name);
  }

  @Override
  protected SecretRef absent() {
    return SecretRef.parse("azure-kv:" + vault.endpoint() + "/secrets/never-stored");
  }

  @Test
  void resolve_shouldAnswerKeyVaultsChallenge_whenTheFirstRequestIsUnauthenticated() {
    // GIVEN a stored secret
    vault.putSecret("challenged", "v1", true);

    // WHEN it is resolved by its short form, the vault at rollgate.azure.endpoint
    Optional<String> value = resolver.resolve(SecretRef.parse("azure-kv:shopvault/challenged"));

    // THEN the value came back; the vault's first request (this test's or an earlier one: the
    // client keeps a vault's challenge for the process) went without a token, was answered with
    // the challenge (resource vault.azure.net, on 127.0.0.1) and was sent again with a bearer token
    assertEquals(Optional.of("v1"), value);
    List<String> seen = vault.keyVaultRequests();
    assertTrue(seen.get(0).endsWith(" (no token)"), seen.toString());
    assertEquals(seen.get(0).replace(" (no token)", " (bearer)"), seen.get(1), seen.toString());
    assertEquals("GET /secrets/challenged/ (bearer)", seen.get(seen.size() - 1), seen.toString());
  }

  @Test
  void resolve_shouldReadTheNamedVersion_whenTheReferenceHasOne() {
    // GIVEN two versions of a secret
    String first = vault.putSecret("rotated", "old-value", true);
    vault.putSecret("rotated", "new-value", true);

    // WHEN / THEN no version reads the newest, a version id reads that one
    assertEquals(
        Optional.of("new-value"),
        resolver.resolve(SecretRef.parse("azure-kv:" + vault.endpoint() + "/secrets/rotated")));
    assertEquals(
        Optional.of("old-value"),
        resolver.resolve(SecretRef.parse("azure-kv:shopvault/rotated/" + first)));
  }

  @Test
  void resolve_shouldNameTheFixWithoutTheValue_whenTheSecretIsDisabled() {
    // GIVEN a secret whose current version is disabled
    vault.putSecret("switched-off", "HIDDEN-VALUE", false);

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
        new KeyVaultSecretResolver(new AzureClients(AzureSettings.defaults()));

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
