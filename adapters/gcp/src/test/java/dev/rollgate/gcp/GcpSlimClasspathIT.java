package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.ServicesSettings;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * adapters/gcp/pom.xml leaves out gRPC's DirectPath extras (grpc-googleapis, grpc-xds, grpc-rls),
 * Conscrypt, and Cloud Storage's gRPC transport, OpenTelemetry SDK and XML mapper. The emulator
 * tests use plaintext channels; this proves the clients' production transports (TLS gRPC through
 * the default channel provider, HTTPS for Cloud Storage) still load and call: each call reaches a
 * closed port and fails as a network failure, not as a missing class.
 */
class GcpSlimClasspathIT {

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort(); // closed once returned: nothing listens there
    }
  }

  private static RetrySettings once(RetrySettings defaults) {
    return defaults.toBuilder()
        .setMaxAttempts(1)
        .setTotalTimeoutDuration(Duration.ofSeconds(10))
        .build();
  }

  private static void once(UnaryCallSettings.Builder<?, ?> call) {
    call.setRetrySettings(once(call.getRetrySettings()));
  }

  @Test
  void secretManagerClient_shouldCallOverTls_whenDirectPathExtrasAreLeftOut() throws Exception {
    // GIVEN Google's client with its default (TLS) channel provider, at a closed port
    SecretManagerServiceSettings.Builder b =
        SecretManagerServiceSettings.newBuilder()
            .setEndpoint("127.0.0.1:" + closedPort())
            .setCredentialsProvider(NoCredentialsProvider.create());
    once(b.accessSecretVersionSettings());

    // WHEN / THEN the call is made and fails for the network's reason
    try (SecretManagerServiceClient client = SecretManagerServiceClient.create(b.build())) {
      ApiException e =
          assertThrows(
              ApiException.class,
              () -> client.accessSecretVersion("projects/p/secrets/s/versions/latest"));
      assertEquals(StatusCode.Code.UNAVAILABLE, e.getStatusCode().getCode());
    }
  }

  @Test
  void cloudRunClient_shouldCallOverTls_whenDirectPathExtrasAreLeftOut() throws Exception {
    // GIVEN Cloud Run's client with its default channel provider, at a closed port
    ServicesSettings.Builder b =
        ServicesSettings.newBuilder()
            .setEndpoint("127.0.0.1:" + closedPort())
            .setCredentialsProvider(NoCredentialsProvider.create());
    once(b.getServiceSettings());

    // WHEN / THEN
    try (ServicesClient client = ServicesClient.create(b.build())) {
      ApiException e =
          assertThrows(
              ApiException.class, () -> client.getService("projects/p/locations/r/services/s"));
      assertEquals(StatusCode.Code.UNAVAILABLE, e.getStatusCode().getCode());
    }
  }

  @Test
  void storageClient_shouldCallOverHttps_whenItsGrpcAndTelemetryAreLeftOut() throws Exception {
    // GIVEN Cloud Storage's HTTP client at a closed HTTPS port
    StorageOptions options =
        StorageOptions.http()
            .setHost("https://127.0.0.1:" + closedPort())
            .setProjectId("p")
            .setCredentials(NoCredentials.getInstance())
            .setRetrySettings(once(StorageOptions.getDefaultRetrySettings()))
            .build();

    // WHEN / THEN the request is sent and fails as a lost connection (code 0)
    try (Storage storage = options.getService()) {
      StorageException e =
          assertThrows(StorageException.class, () -> storage.get(BlobId.of("b", "o")));
      assertEquals(0, e.getCode(), e.toString());
    }
  }
}
