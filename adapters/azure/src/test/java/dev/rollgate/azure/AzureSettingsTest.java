package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureSettingsTest {

  @Test
  void from_shouldReadTheEndpointAndWaits_whenSet() {
    // GIVEN
    Map<String, String> p =
        Map.of(
            "AZURE_SUBSCRIPTION_ID", "3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b",
            "rollgate.azure.arm-endpoint", "https://127.0.0.1:8443/",
            "rollgate.azure.revision-timeout", "PT3M");

    // WHEN
    AzureSettings s = AzureSettings.from(p::get);

    // THEN
    assertEquals("3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b", s.subscription());
    assertEquals("https://127.0.0.1:8443", s.armEndpoint());
    assertNull(s.trustCertificate());
    assertEquals(Duration.ofMinutes(3), s.revisionTimeout());
    assertEquals(Duration.ofSeconds(1), s.operationPoll());
  }

  @Test
  void from_shouldRefuseNamingTheSetting_whenTheEndpointIsPlainHttp() {
    // GIVEN
    Map<String, String> p = Map.of("rollgate.azure.arm-endpoint", "http://127.0.0.1:8443");

    // WHEN
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AzureSettings.from(p::get));

    // THEN
    assertTrue(
        e.getMessage().startsWith("rollgate.azure.arm-endpoint: not an https URL"), e.getMessage());
  }

  @Test
  void from_shouldRefuseNamingTheSetting_whenTheCertificateFileIsMissing() {
    // GIVEN
    Map<String, String> p = Map.of("rollgate.azure.trust-certificate", "/no/such/arm.pem");

    // WHEN / THEN
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AzureSettings.from(p::get));
    assertTrue(e.getMessage().startsWith("rollgate.azure.trust-certificate:"), e.getMessage());
  }
}
