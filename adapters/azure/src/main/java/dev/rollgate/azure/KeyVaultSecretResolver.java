package dev.rollgate.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves Key Vault secret references: {@code azure-kv:https://VAULT.vault.azure.net/secrets/NAME}
 * (the secret's own URL, as Azure shows it, optionally {@code /VERSION}) or the short form {@code
 * azure-kv:VAULT/NAME[/VERSION]}; no version means the current one. Through
 * azure-security-keyvault-secrets, whose first request is unauthenticated and answered 401 with the
 * vault's challenge (its tenant and resource), then sent again with a token for that resource from
 * {@code DefaultAzureCredential} (the Function App's managed identity). With {@link
 * AzureSettings#endpoint()} set (the emulator), the short form is read there, with the ARM clients'
 * HTTP client and placeholder token ({@link AzureClients}); references by URL go where they say. A
 * client per vault, built on first use.
 */
final class KeyVaultSecretResolver implements SecretResolver {

  static final String SCHEME = "azure-kv";

  // Vault names: 3-24 of letters, digits and hyphens, starting with a letter; secret names: 1-127
  // of letters, digits and hyphens; versions: 32 hex digits.
  private static final Pattern SHORT =
      Pattern.compile("([A-Za-z][A-Za-z0-9-]{2,23})/([A-Za-z0-9-]{1,127})(?:/([0-9a-fA-F]{32}))?");
  private static final Pattern URL =
      Pattern.compile(
          "(https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?)/secrets/([A-Za-z0-9-]{1,127})(?:/([0-9a-fA-F]{32}))?/?");

  private static final String FORMS =
      "azure-kv:https://VAULT.vault.azure.net/secrets/NAME[/VERSION] or azure-kv:VAULT/NAME[/VERSION]";

  private final AzureClients azure;
  private final Map<String, SecretClient> clients = new HashMap<>();

  /**
   * @param azure the settings, and the HTTP client and credentials shared with the ARM clients
   */
  KeyVaultSecretResolver(AzureClients azure) {
    this.azure = Objects.requireNonNull(azure, "azure");
  }

  @Override
  public Set<String> schemes() {
    return Set.of(SCHEME);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the reference is malformed: a manifest error
   * @throws IllegalStateException when Key Vault refused or could not answer (access denied, the
   *     secret disabled, unreachable); the message names the reference and the fix, never the value
   */
  @Override
  public Optional<String> resolve(SecretRef ref) {
    Objects.requireNonNull(ref, "ref");
    if (!SCHEME.equals(ref.scheme())) {
      throw new IllegalArgumentException(
          "secret reference: its scheme is not handled here (the value is not shown: it may be a"
              + " literal secret); this resolver reads "
              + FORMS);
    }
    Target t = target(ref);
    String value;
    try {
      value = client(t.vault()).getSecret(t.name(), t.version()).getValue();
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    } catch (HttpResponseException e) {
      // The cause is dropped on purpose: nothing of the answer must reach a log.
      throw new IllegalStateException(failure(ref, e));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "secret reference '%s': Key Vault at %s could not be reached (%s); check the vault's"
                  .formatted(ref, t.vault(), e.getClass().getSimpleName())
              + " name, its network access and the identity's credentials");
    }
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** The vault URL, secret name and version (null: the current one) {@code ref} names. */
  Target target(SecretRef ref) {
    Matcher url = URL.matcher(ref.name());
    if (url.matches()) {
      return new Target(url.group(1), url.group(2), url.group(3));
    }
    Matcher s = SHORT.matcher(ref.name());
    if (s.matches()) {
      String emulator = azure.settings().endpoint();
      String vault =
          emulator != null
              ? emulator
              : "https://" + s.group(1).toLowerCase(java.util.Locale.ROOT) + ".vault.azure.net";
      return new Target(vault, s.group(2), s.group(3));
    }
    throw new IllegalArgumentException("secret reference '%s': expected %s".formatted(ref, FORMS));
  }

  private static String failure(SecretRef ref, HttpResponseException e) {
    int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    String what = "secret reference '%s': ".formatted(ref);
    String message = String.valueOf(e.getMessage());
    return switch (status) {
      case 403 ->
          message.contains("disabled")
              ? what
                  + "the secret (or this version of it) is disabled (403); enable it, or name an"
                  + " enabled version"
              : what
                  + "Key Vault denied access (403); grant the function's identity Key Vault Secrets"
                  + " User on the secret (or the vault), and use a vault with RBAC authorization";
      case 401 ->
          what
              + "Key Vault did not accept the token (401); check the identity (AZURE_CLIENT_ID) and"
              + " the vault's tenant";
      case 400 -> what + "Key Vault refused the request (400); fix the reference";
      default ->
          status == 429 || status >= 500
              ? what + "Key Vault did not answer (" + status + ") after retries; try again later"
              : what + "Key Vault answered " + status;
    };
  }

  private synchronized SecretClient client(String vault) {
    return clients.computeIfAbsent(
        vault,
        v -> {
          SecretClientBuilder b = new SecretClientBuilder().vaultUrl(v);
          if (v.equals(azure.settings().endpoint())) {
            // The emulator: its certificate trusted and any token taken, as for ARM; its
            // challenge names Key Vault's resource (https://vault.azure.net), which the client
            // checks against the vault's host, and 127.0.0.1 is no subdomain of vault.azure.net.
            b.httpClient(azure.http())
                .credential(azure.credential())
                .disableChallengeResourceVerification();
          } else {
            b.credential(azure.azureCredential());
          }
          return b.buildClient();
        });
  }

  @Override
  public String toString() {
    return "KeyVaultSecretResolver[azure-kv]";
  }

  /** Where a secret is read. */
  record Target(String vault, String name, String version) {}
}
