package dev.rollgate.azure;

import java.util.function.UnaryOperator;

/**
 * Settings of the Azure stores (Key Vault secrets, Blob Storage manifests and backups), {@code
 * rollgate.azure.*}; the Container Apps settings are {@code AzureSettings}'s.
 *
 * @param storageConnectionString {@code rollgate.azure.storage-connection-string}, else {@code
 *     AZURE_STORAGE_CONNECTION_STRING}: a storage account's connection string (Azurite's, or an
 *     account key's), used for its account instead of Microsoft Entra ID; null in production, where
 *     the Function App's managed identity reads and writes blobs
 * @param keyVaultEndpoint {@code rollgate.azure.keyvault-endpoint}, else {@code
 *     rollgate.azure.endpoint} ({@code ROLLGATE_AZURE_ENDPOINT}, the emulator's): where the short
 *     form {@code azure-kv:VAULT/NAME} is read instead of {@code https://VAULT.vault.azure.net};
 *     null: Azure's
 */
public record AzureStoreSettings(String storageConnectionString, String keyVaultEndpoint) {

  /** The storage connection string's property. */
  public static final String STORAGE_CONNECTION_STRING = "rollgate.azure.storage-connection-string";

  /** The Key Vault endpoint's property. */
  public static final String KEYVAULT_ENDPOINT = "rollgate.azure.keyvault-endpoint";

  /** The emulator's endpoint (ARM and Key Vault), shared with the Container Apps settings. */
  static final String ENDPOINT = "rollgate.azure.endpoint";

  /** Azure's own variable for a storage connection string (the Azure CLI reads it too). */
  static final String ENV_STORAGE_CONNECTION_STRING = "AZURE_STORAGE_CONNECTION_STRING";

  @Override
  public String toString() {
    // A connection string may hold an account key: never shown.
    return "AzureStoreSettings[storageConnectionString="
        + (storageConnectionString == null ? "unset" : "set")
        + ", keyVaultEndpoint="
        + keyVaultEndpoint
        + "]";
  }

  /** From rollgate's settings (blank counts as unset). */
  public static AzureStoreSettings from(UnaryOperator<String> settings) {
    String connection = blankToNull(settings.apply(STORAGE_CONNECTION_STRING));
    if (connection == null) {
      connection = blankToNull(settings.apply(ENV_STORAGE_CONNECTION_STRING));
    }
    String kv = blankToNull(settings.apply(KEYVAULT_ENDPOINT));
    if (kv == null) {
      kv = blankToNull(settings.apply(ENDPOINT));
    }
    return new AzureStoreSettings(connection, kv == null ? null : kv.replaceAll("/+$", ""));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
