package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the Azure stores' settings come from, and what their description never shows. */
class AzureStoreSettingsTest {

  @Test
  void from_shouldFallBackToAzureNamesAndTheEmulator_whenRollgatesOwnAreUnset() {
    // GIVEN Azure's connection string variable and the emulator's endpoint only
    Map<String, String> s =
        Map.of(
            "AZURE_STORAGE_CONNECTION_STRING", "AccountName=a;AccountKey=SECRETKEY",
            "rollgate.azure.endpoint", "https://127.0.0.1:8443/");

    // WHEN read
    AzureStoreSettings settings = AzureStoreSettings.from(s::get);

    // THEN both are used, the trailing slash dropped, and the key never shown
    assertEquals("AccountName=a;AccountKey=SECRETKEY", settings.storageConnectionString());
    assertEquals("https://127.0.0.1:8443", settings.keyVaultEndpoint());
    assertFalse(settings.toString().contains("SECRETKEY"), settings.toString());
    assertEquals("a", BlobStorage.accountName(settings.storageConnectionString()));
  }

  @Test
  void from_shouldPreferRollgatesSettings_whenBothAreSet() {
    // GIVEN rollgate's own settings beside Azure's names, and blanks
    Map<String, String> s =
        Map.of(
            AzureStoreSettings.STORAGE_CONNECTION_STRING,
            "AccountName=mine",
            "AZURE_STORAGE_CONNECTION_STRING",
            "AccountName=theirs",
            AzureStoreSettings.KEYVAULT_ENDPOINT,
            " ",
            "rollgate.azure.endpoint",
            "https://emulator");

    // WHEN / THEN rollgate's win; a blank counts as unset
    AzureStoreSettings settings = AzureStoreSettings.from(s::get);
    assertEquals("AccountName=mine", settings.storageConnectionString());
    assertEquals("https://emulator", settings.keyVaultEndpoint());
    assertNull(AzureStoreSettings.from(Map.<String, String>of()::get).keyVaultEndpoint());
  }
}
