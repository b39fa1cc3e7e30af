package dev.rollgate.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Blob Storage clients, one per storage account, built on first use: with {@link
 * AzureSettings#storageConnectionString()} for the account it names (Azurite, an account key), else
 * with Microsoft Entra ID ({@code DefaultAzureCredential}: the Function App's managed identity,
 * {@code AZURE_CLIENT_ID} choosing a user-assigned one).
 */
final class BlobStorage {

  private final AzureSettings settings;
  private final Supplier<TokenCredential> credential;
  private final Map<String, BlobServiceClient> clients = new HashMap<>();

  BlobStorage(AzureSettings settings) {
    this(settings, () -> new DefaultAzureCredentialBuilder().build());
  }

  BlobStorage(AzureSettings settings, Supplier<TokenCredential> credential) {
    this.settings = settings;
    this.credential = credential;
  }

  /** The container {@code at} names. */
  BlobContainerClient container(BlobLocation at) {
    return service(at).getBlobContainerClient(at.container());
  }

  private synchronized BlobServiceClient service(BlobLocation at) {
    return clients.computeIfAbsent(
        at.account(),
        account -> {
          String cs = settings.storageConnectionString();
          if (cs != null && account.equals(accountName(cs))) {
            return new BlobServiceClientBuilder().connectionString(cs).buildClient();
          }
          return new BlobServiceClientBuilder()
              .endpoint(at.endpoint())
              .credential(credential.get())
              .buildClient();
        });
  }

  /** The {@code AccountName} of a connection string, or null. */
  static String accountName(String connectionString) {
    for (String part : connectionString.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase("AccountName")) {
        return part.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  /** What Blob Storage answered, for people: the status, Azure's error code and the fix. */
  static String describe(BlobStorageException e, String what, String fix) {
    String code = e.getErrorCode() == null ? "no error code" : e.getErrorCode().toString();
    String hint =
        switch (e.getStatusCode()) {
          case 403 ->
              "access denied ("
                  + code
                  + "): grant the function's identity Storage Blob Data Contributor (backups) or"
                  + " Reader (the manifest) on the container, or check the connection string";
          case 401 -> "not authenticated (" + code + "): check the identity or connection string";
          case 404 -> "not found (" + code + "): " + fix;
          case 409, 412 -> "conflict (" + code + "): another writer changed it; try again";
          default ->
              e.getStatusCode() >= 500 || e.getStatusCode() == 429
                  ? "Blob Storage did not answer ("
                      + e.getStatusCode()
                      + ", "
                      + code
                      + ") after the client's retries; try again later"
                  : "Blob Storage answered " + e.getStatusCode() + " (" + code + ")";
        };
    return what + ": " + hint;
  }
}
