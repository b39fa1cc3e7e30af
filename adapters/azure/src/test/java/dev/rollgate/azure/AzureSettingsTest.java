package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.assembly.Settings;
import dev.rollgate.core.manifest.SecretRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the Azure settings come from, what is refused with the fix, and what is never shown. */
class AzureSettingsTest {

  @Test
  void from_shouldReadTheEndpointAndWaits_whenSet() {
    // GIVEN
    Map<String, String> p =
        Map.of(
            "AZURE_SUBSCRIPTION_ID", "3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b",
            "rollgate.azure.endpoint", "https://127.0.0.1:8443/",
            "rollgate.azure.revision-timeout", "PT3M");

    // WHEN
    AzureSettings s = AzureSettings.from(p::get);

    // THEN
    assertEquals("3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b", s.subscription());
    assertEquals("https://127.0.0.1:8443", s.endpoint());
    assertNull(s.trustCertificate());
    assertEquals(Duration.ofMinutes(3), s.revisionTimeout());
    assertEquals(Duration.ofSeconds(1), s.operationPoll());
  }

  @Test
  void from_shouldReadWhatEmulateAzurePrints_whenGivenAsEnvironmentVariables(@TempDir Path dir)
      throws Exception {
    // GIVEN the two exports of 'emulate azure', read as the Functions entry reads its environment
    Path pem = Files.writeString(dir.resolve("arm-fake.pem"), "-----BEGIN CERTIFICATE-----\n");
    Settings env =
        Settings.fromEnvironment(
            Map.of(
                "ROLLGATE_AZURE_ENDPOINT",
                "https://127.0.0.1:8443",
                "ROLLGATE_AZURE_TRUST_CERTIFICATE",
                pem.toString()),
            name -> null);

    // WHEN
    AzureSettings s = AzureSettings.from(env::get);

    // THEN ARM and Key Vault go to the one endpoint, trusting its certificate
    assertEquals("https://127.0.0.1:8443", s.endpoint());
    assertEquals(pem.toString(), s.trustCertificate());
    assertEquals(
        new KeyVaultSecretResolver.Target("https://127.0.0.1:8443", "db", null),
        new KeyVaultSecretResolver(new AzureClients(s))
            .target(SecretRef.parse("azure-kv:myvault/db")));
  }

  @Test
  void from_shouldRefuseNamingTheSetting_whenTheEndpointIsPlainHttp() {
    // GIVEN
    Map<String, String> p = Map.of("rollgate.azure.endpoint", "http://127.0.0.1:8443");

    // WHEN
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AzureSettings.from(p::get));

    // THEN
    assertTrue(
        e.getMessage().startsWith("rollgate.azure.endpoint: not an https URL"), e.getMessage());
  }

  @Test
  void from_shouldRefuseNamingTheSetting_whenTheCertificateFileIsMissing() {
    // GIVEN
    Map<String, String> p =
        Map.of(
            "rollgate.azure.endpoint", "https://127.0.0.1:8443",
            "rollgate.azure.trust-certificate", "/no/such/arm.pem");

    // WHEN / THEN
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AzureSettings.from(p::get));
    assertTrue(e.getMessage().startsWith("rollgate.azure.trust-certificate:"), e.getMessage());
  }

  @Test
  void from_shouldRefuseNamingTheFix_whenACertificateIsTrustedWithoutAnEndpoint(@TempDir Path dir)
      throws Exception {
    // GIVEN a certificate to trust, but no emulator to trust it for
    Path pem = Files.writeString(dir.resolve("arm-fake.pem"), "-----BEGIN CERTIFICATE-----\n");
    Map<String, String> p = Map.of("rollgate.azure.trust-certificate", pem.toString());

    // WHEN / THEN
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AzureSettings.from(p::get));
    assertTrue(e.getMessage().startsWith("rollgate.azure.trust-certificate:"), e.getMessage());
    assertTrue(e.getMessage().contains("ROLLGATE_AZURE_ENDPOINT"), e.getMessage());
  }

  @Test
  void from_shouldRefuseNamingTheNewSetting_whenAnEndpointOfOneServiceIsSet() {
    // GIVEN the ARM-only variable an older 'emulate azure' printed
    Settings env =
        Settings.fromEnvironment(
            Map.of("ROLLGATE_AZURE_ARM_ENDPOINT", "https://127.0.0.1:8443"), name -> null);

    // WHEN
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AzureSettings.from(env::get));

    // THEN it is not ignored (rollgate would call Azure): the one endpoint is named instead
    assertTrue(
        e.getMessage().startsWith("rollgate.azure.arm-endpoint (ROLLGATE_AZURE_ARM_ENDPOINT)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("ROLLGATE_AZURE_ENDPOINT"), e.getMessage());
  }

  @Test
  void from_shouldFallBackToAzuresConnectionString_whenRollgatesIsUnset() {
    // GIVEN Azure's connection string variable only
    Map<String, String> s = Map.of("AZURE_STORAGE_CONNECTION_STRING", "AccountName=a;AccountKey=K");

    // WHEN read
    AzureSettings settings = AzureSettings.from(s::get);

    // THEN it is used
    assertEquals("AccountName=a;AccountKey=K", settings.storageConnectionString());
    assertEquals("a", BlobStorage.accountName(settings.storageConnectionString()));
    assertNull(settings.endpoint());
  }

  @Test
  void from_shouldPreferRollgatesConnectionString_whenBothAreSet() {
    // GIVEN rollgate's own setting beside Azure's name, and a blank endpoint
    Map<String, String> s =
        Map.of(
            AzureSettings.STORAGE_CONNECTION_STRING,
            "AccountName=mine",
            "AZURE_STORAGE_CONNECTION_STRING",
            "AccountName=theirs",
            AzureSettings.ENDPOINT,
            " ");

    // WHEN / THEN rollgate's wins; a blank counts as unset
    AzureSettings settings = AzureSettings.from(s::get);
    assertEquals("AccountName=mine", settings.storageConnectionString());
    assertNull(settings.endpoint());
  }

  @Test
  void toString_shouldNeverShowTheConnectionString_whenOneIsSet() {
    // GIVEN a connection string holding an account key
    AzureSettings s =
        AzureSettings.defaults().withStorageConnectionString("AccountName=a;AccountKey=SECRETKEY");

    // WHEN / THEN
    assertFalse(s.toString().contains("SECRETKEY"), s.toString());
    assertTrue(s.toString().contains("storageConnectionString=set"), s.toString());
  }
}
