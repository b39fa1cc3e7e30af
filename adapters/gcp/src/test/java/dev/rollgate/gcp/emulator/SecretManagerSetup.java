package dev.rollgate.gcp.emulator;

import com.google.cloud.secretmanager.v1.ProjectName;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.SecretName;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.protobuf.ByteString;
import dev.rollgate.gcp.GcpClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Sets up secrets in the fake as anyone would in Secret Manager: with Google's client. */
public final class SecretManagerSetup {

  private SecretManagerSetup() {}

  /** Google's client pointed where {@code clients} point. */
  public static SecretManagerServiceClient client(GcpClients clients) throws IOException {
    return SecretManagerServiceClient.create(
        clients.configure(SecretManagerServiceSettings.newBuilder()).build());
  }

  /** Creates {@code projects/P/secrets/NAME} with one version holding {@code value}. */
  public static void create(
      SecretManagerServiceClient client, String project, String name, String value) {
    create(client, project, name, Map.of());
    addVersion(client, project, name, value);
  }

  /** Creates the secret with {@code labels} and no version. */
  public static void create(
      SecretManagerServiceClient client, String project, String name, Map<String, String> labels) {
    client.createSecret(
        ProjectName.of(project),
        name,
        Secret.newBuilder()
            .setReplication(
                Replication.newBuilder().setAutomatic(Replication.Automatic.getDefaultInstance()))
            .putAllLabels(labels)
            .build());
  }

  /** Adds a version holding {@code value}; its name. */
  public static String addVersion(
      SecretManagerServiceClient client, String project, String name, String value) {
    return client
        .addSecretVersion(
            SecretName.of(project, name),
            SecretPayload.newBuilder()
                .setData(ByteString.copyFrom(value, StandardCharsets.UTF_8))
                .build())
        .getName();
  }

  /** The label that makes the fake deny access to a secret, as IAM would. */
  public static Map<String, String> accessDenied() {
    return Map.of(SecretManagerFake.ACCESS_LABEL, SecretManagerFake.DENIED);
  }
}
