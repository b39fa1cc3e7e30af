package dev.rollgate.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.SecretPayload;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Resolves {@code gcp-sm:projects/P/secrets/NAME[/versions/V]} from Google Secret Manager (V
 * defaults to {@code latest}, the most recently created version); {@code gcp-sm:NAME[/versions/V]}
 * uses {@link GcpSettings#project()}. The client is built on the first reference, through {@link
 * GcpClients#configure}, and closed with this resolver.
 */
final class SecretManagerSecretResolver implements SecretResolver, AutoCloseable {

  static final String SCHEME = "gcp-sm";

  // Secret ids: letters, digits, - and _, at most 255 (resources.proto, Secret.name); versions: a
  // number or the alias latest (service.proto, AccessSecretVersionRequest.name).
  private static final Pattern FULL =
      Pattern.compile(
          "projects/([a-z0-9][a-z0-9.:-]{0,62})/secrets/([A-Za-z0-9_-]{1,255})(?:/versions/([1-9][0-9]{0,18}|latest))?");
  private static final Pattern SHORT =
      Pattern.compile("([A-Za-z0-9_-]{1,255})(?:/versions/([1-9][0-9]{0,18}|latest))?");

  private static final String FORMS =
      "gcp-sm:projects/PROJECT/secrets/NAME, gcp-sm:projects/PROJECT/secrets/NAME/versions/N, or"
          + " gcp-sm:NAME with rollgate.gcp.project (GOOGLE_CLOUD_PROJECT) set";

  private final GcpClients clients;
  private SecretManagerServiceClient client;

  SecretManagerSecretResolver(GcpClients clients) {
    this.clients = Objects.requireNonNull(clients, "clients");
  }

  @Override
  public Set<String> schemes() {
    return Set.of(SCHEME);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the reference is malformed: a manifest error
   * @throws IllegalStateException when Secret Manager refused or could not answer (permission
   *     denied, version disabled or destroyed, unreachable); the message names the reference and
   *     the fix, never the value
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
    String version = versionName(ref);
    AccessSecretVersionResponse response;
    try {
      response = client().accessSecretVersion(version);
    } catch (ApiException e) {
      if (e.getStatusCode().getCode() == StatusCode.Code.NOT_FOUND) {
        return Optional.empty();
      }
      // The cause is dropped on purpose: nothing of the answer must reach a log.
      throw new IllegalStateException(failure(ref, version, e));
    }
    SecretPayload payload = response.getPayload();
    byte[] data = payload.getData().toByteArray();
    if (payload.hasDataCrc32C()) {
      CRC32C crc = new CRC32C();
      crc.update(data);
      if (crc.getValue() != payload.getDataCrc32C()) {
        throw new IllegalStateException(
            "secret reference '%s': the payload's CRC32C does not match the one Secret Manager sent;"
                    .formatted(ref)
                + " it was damaged on the way: try again");
      }
    }
    String value = new String(data, StandardCharsets.UTF_8);
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** {@code projects/P/secrets/NAME/versions/V} for {@code ref}. */
  String versionName(SecretRef ref) {
    Matcher full = FULL.matcher(ref.name());
    if (full.matches()) {
      return name(full.group(1), full.group(2), full.group(3));
    }
    Matcher shortForm = SHORT.matcher(ref.name());
    if (shortForm.matches()) {
      String project = clients.settings().project();
      if (project == null) {
        throw new IllegalArgumentException(
            ("secret reference '%s' names no project and rollgate.gcp.project"
                    + " (GOOGLE_CLOUD_PROJECT) is not set; write gcp-sm:projects/PROJECT/secrets/%s")
                .formatted(ref, shortForm.group(1)));
      }
      return name(project, shortForm.group(1), shortForm.group(2));
    }
    throw new IllegalArgumentException("secret reference '%s': expected %s".formatted(ref, FORMS));
  }

  private static String name(String project, String secret, String version) {
    return "projects/%s/secrets/%s/versions/%s"
        .formatted(project, secret, version == null ? "latest" : version);
  }

  private static String failure(SecretRef ref, String version, ApiException e) {
    String what = "secret reference '%s' (%s): ".formatted(ref, version);
    return switch (e.getStatusCode().getCode()) {
      case PERMISSION_DENIED ->
          what
              + "Secret Manager denied access (PERMISSION_DENIED); grant the function's service"
              + " account roles/secretmanager.secretAccessor on the secret";
      case UNAUTHENTICATED ->
          what
              + "Secret Manager did not accept the credentials (UNAUTHENTICATED); run with"
              + " Application Default Credentials (gcloud auth application-default login, or the"
              + " function's service account)";
      case FAILED_PRECONDITION ->
          what
              + "the version is not enabled (FAILED_PRECONDITION: disabled or destroyed); enable"
              + " it, add a new version, or name an enabled one (.../versions/N)";
      case INVALID_ARGUMENT ->
          what + "Secret Manager refused the name (INVALID_ARGUMENT); fix the reference";
      case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, ABORTED ->
          what
              + "Secret Manager did not answer ("
              + e.getStatusCode().getCode()
              + ") after retries; try again later";
      default -> what + "Secret Manager answered " + e.getStatusCode().getCode();
    };
  }

  private synchronized SecretManagerServiceClient client() {
    if (client == null) {
      try {
        client =
            SecretManagerServiceClient.create(
                clients.configure(SecretManagerServiceSettings.newBuilder()).build());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot build the Secret Manager client", e);
      }
    }
    return client;
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  @Override
  public String toString() {
    return "SecretManagerSecretResolver[gcp-sm]";
  }
}
