package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where rollgate's Cloud Storage client points, and how {@code gs://} locations are read. */
class GcsStorageTest {

  @Test
  void from_shouldPreferTheSettingAndAddTheScheme_whenBothHostsAreSet() {
    // GIVEN / WHEN
    GcsStorage s =
        GcsStorage.from(
            Map.of("rollgate.gcp.storage-host", "127.0.0.1:9023", "STORAGE_EMULATOR_HOST", "x:1")
                ::get,
            GcpSettings.defaults());

    // THEN
    assertEquals("http://127.0.0.1:9023", s.host());
  }

  @Test
  void from_shouldReadStorageEmulatorHost_whenTheSettingIsUnset() {
    // GIVEN / WHEN / THEN the variable Google's emulators use; none: Google's endpoint
    assertEquals(
        "http://localhost:4443",
        GcsStorage.from(
                Map.of("STORAGE_EMULATOR_HOST", "http://localhost:4443")::get,
                GcpSettings.defaults())
            .host());
    assertNull(GcsStorage.from(Map.<String, String>of()::get, GcpSettings.defaults()).host());
  }

  @Test
  void from_shouldNameTheSetting_whenTheHostIsNotHostAndPort() {
    // GIVEN / WHEN
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GcsStorage.from(
                    Map.of("rollgate.gcp.storage-host", "http://a b/c")::get,
                    GcpSettings.defaults()));

    // THEN
    assertTrue(e.getMessage().contains("rollgate.gcp.storage-host"), e.getMessage());
  }

  @Test
  void parse_shouldSplitBucketAndPath_whenTheLocationIsValid() {
    // GIVEN / WHEN / THEN
    assertEquals(
        new GcsLocation("my-bucket", "a/b.yaml"),
        GcsLocation.parse("gs://my-bucket/a/b.yaml", "e"));
    assertEquals(new GcsLocation("my-bucket", ""), GcsLocation.parse("gs://my-bucket", "e"));
  }

  @Test
  void parse_shouldNameTheLocationAndExample_whenTheBucketIsInvalid() {
    // GIVEN / WHEN / THEN
    for (String bad : new String[] {"gs://", "gs://A/x", "s3://b/x", "gs://-b/x"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> GcsLocation.parse(bad, "gs://bucket/x"));
      assertTrue(e.getMessage().contains(bad), e.getMessage());
      assertTrue(e.getMessage().contains("gs://bucket/x"), e.getMessage());
    }
  }
}
