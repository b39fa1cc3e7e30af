package dev.rollgate.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Resolves {@code aws-sm:NAME_OR_ARN} from AWS Secrets Manager, and {@code aws-sm:NAME#key} to one
 * key of a secret that holds a JSON object (as RDS-managed secrets do). An ARN's region wins over
 * the default one.
 */
final class SecretsManagerSecretResolver implements SecretResolver {

  /** Built on the first JSON secret, not at start: cold start matters. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final AwsClients clients;

  SecretsManagerSecretResolver(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public Set<String> schemes() {
    return Set.of("aws-sm");
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the reference is malformed or asks for a key of a secret
   *     that is not a JSON object: a manifest error
   * @throws IllegalStateException when Secrets Manager could not answer (throttled, unreachable,
   *     access denied); the message says which and what to do
   */
  @Override
  public Optional<String> resolve(SecretRef ref) {
    Objects.requireNonNull(ref, "ref");
    if (!"aws-sm".equals(ref.scheme())) {
      throw new IllegalArgumentException(
          "secret reference: its scheme is not handled here (the value is not shown: it may be a"
              + " literal secret); this resolver reads aws-sm:NAME and aws-sm:NAME#key");
    }
    String name = ref.name();
    String key = null;
    int hash = name.lastIndexOf('#');
    if (hash >= 0) {
      key = name.substring(hash + 1);
      name = name.substring(0, hash);
    }
    if (name.isBlank() || (key != null && key.isBlank())) {
      throw new IllegalArgumentException(
          "secret reference '%s': expected aws-sm:NAME_OR_ARN or aws-sm:NAME_OR_ARN#key"
              .formatted(ref));
    }
    String value = fetch(ref, name);
    if (value == null) {
      return Optional.empty();
    }
    if (key != null) {
      value = field(ref, value, key);
    }
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private String fetch(SecretRef ref, String secretId) {
    String region = regionOf(secretId);
    GetSecretValueResponse r;
    try {
      r = clients.secrets(region).getSecretValue(b -> b.secretId(secretId));
    } catch (ResourceNotFoundException e) {
      return null;
    } catch (SdkException e) {
      PlatformException p =
          AwsFaults.translate(
              e,
              "secretsmanager:GetSecretValue",
              "GetSecretValue of secret reference '" + ref + "'",
              "create the secret or fix the reference in the manifest");
      // The cause is dropped on purpose: nothing of the answer must reach a log.
      throw new IllegalStateException(p.getMessage());
    }
    if (r.secretString() != null) {
      return r.secretString();
    }
    return r.secretBinary() == null ? null : r.secretBinary().asString(StandardCharsets.UTF_8);
  }

  private static String field(SecretRef ref, String value, String key) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(value);
    } catch (JsonProcessingException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      // Never quote the value: it is the secret.
      throw new IllegalArgumentException(
          ("secret reference '%s': the secret is not a JSON object, so it has no key '%s'; drop"
                  + " '#%s' or store the secret as JSON")
              .formatted(ref, key, key));
    }
    JsonNode node = root.get(key);
    if (node == null || node.isNull()) {
      return null;
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  /** {@code arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME}: the region, else null. */
  static String regionOf(String secretId) {
    if (!secretId.startsWith("arn:")) {
      return null;
    }
    String[] parts = secretId.split(":", 6);
    return parts.length > 3 && !parts[3].isBlank() ? parts[3] : null;
  }

  @Override
  public String toString() {
    return "SecretsManagerSecretResolver[aws-sm]";
  }
}
