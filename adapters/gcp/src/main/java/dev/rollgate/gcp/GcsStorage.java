package dev.rollgate.gcp;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * rollgate's one Cloud Storage client, over Google's HTTP/JSON transport, built on first use and
 * closed with the adapter: Google's endpoint with Application Default Credentials, or a Cloud
 * Storage emulator at {@code rollgate.gcp.storage-host} (else {@code STORAGE_EMULATOR_HOST}, the
 * variable Google's emulators and other languages' clients read), with no credentials.
 */
final class GcsStorage implements Supplier<Storage>, AutoCloseable {

  private final String host;
  private final String project;
  private Storage storage;

  /**
   * @param host {@code http://host:port} of an emulator, or null for Google's endpoint
   * @param project the project for calls that need one (null: the client's own default)
   */
  GcsStorage(String host, String project) {
    this.host = host;
    this.project = project;
  }

  /**
   * From {@code rollgate.gcp.storage-host} ({@code ROLLGATE_GCP_STORAGE_HOST}), else {@code
   * STORAGE_EMULATOR_HOST}; a bare {@code host:port} gets {@code http://}.
   */
  static GcsStorage from(UnaryOperator<String> property, GcpSettings settings) {
    String host = property.apply("rollgate.gcp.storage-host");
    if (host == null || host.isBlank()) {
      host = property.apply("STORAGE_EMULATOR_HOST");
    }
    if (host == null || host.isBlank()) {
      return new GcsStorage(null, settings.project());
    }
    host = host.trim();
    if (!host.startsWith("http://") && !host.startsWith("https://")) {
      host = "http://" + host;
    }
    if (!host.matches("https?://[^\\s/]+(:\\d{1,5})?/?")) {
      throw new IllegalArgumentException(
          "rollgate.gcp.storage-host (or STORAGE_EMULATOR_HOST): not http://host:port: '"
              + host
              + "'; e.g. http://127.0.0.1:9023");
    }
    return new GcsStorage(host, settings.project());
  }

  /** The emulator's address, or null when Google's endpoint is used. */
  String host() {
    return host;
  }

  @Override
  public synchronized Storage get() {
    if (storage == null) {
      StorageOptions.Builder b = StorageOptions.http();
      if (host != null) {
        b.setHost(host)
            .setCredentials(NoCredentials.getInstance())
            .setProjectId(project != null ? project : "rollgate-emulator");
      } else if (project != null) {
        b.setProjectId(project);
      }
      storage = b.build().getService();
    }
    return storage;
  }

  @Override
  public synchronized void close() throws Exception {
    if (storage != null) {
      storage.close();
      storage = null;
    }
  }
}
