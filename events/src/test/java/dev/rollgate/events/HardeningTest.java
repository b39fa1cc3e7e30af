package dev.rollgate.events;

import static dev.rollgate.events.Decoding.DIGEST;
import static dev.rollgate.events.Decoding.NOW;
import static dev.rollgate.events.Decoding.one;
import static dev.rollgate.events.Decoding.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Inputs a hostile sender would try: times the ledger cannot store, references that disagree. */
class HardeningTest {

  private static String plainAt(String time) {
    return "{\"repository\": \"team/shop\", \"tag\": \"v1\", \"digest\": \""
        + DIGEST
        + "\", \"time\": \""
        + time
        + "\"}";
  }

  @Test
  void decode_shouldRefuseNamingTheField_whenATimeIsBeyondWhatTheLedgerStores() {
    // GIVEN times outside PostgreSQL's timestamptz (4713 BC to 294276 AD)
    // WHEN decoded THEN each is refused, naming $.time, rather than failing at the ledger
    for (String time : new String[] {"+300000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z"}) {
      String message = rejection(plainAt(time));
      assertTrue(message.startsWith("$.time: "), message);
      assertTrue(message.contains("years 0001 to 9999"), message);
    }
  }

  @Test
  void decode_shouldKeepTheTime_whenItIsAnOrdinaryPastTime() throws Exception {
    // GIVEN a push time in the usual range WHEN decoded THEN it is kept as sent
    ImagePushed push = (ImagePushed) one(plainAt("2024-08-16T10:00:00Z"));
    assertEquals(Instant.parse("2024-08-16T10:00:00Z"), push.occurredAt());
  }

  private static String plain(String repository, String tag, String digest) {
    return "{\"repository\": \""
        + repository
        + "\""
        + (tag == null ? "" : ", \"tag\": \"" + tag + "\"")
        + (digest == null ? "" : ", \"digest\": \"" + digest + "\"")
        + "}";
  }

  @Test
  void decode_shouldRefuse_whenTheReferencesTagOrDigestDisagreesWithTheFields() {
    // GIVEN a repository written as a reference whose tag or digest contradicts the fields
    String other = "sha256:" + "0".repeat(64);
    // WHEN decoded THEN refused, naming the field: which one was meant is not rollgate's guess
    assertTrue(
        rejection(plain("team/shop:v1", "v2", DIGEST)).contains("$.repository: its tag 'v1'"),
        "tag");
    assertTrue(
        rejection(plain("team/shop@" + other, "v1", DIGEST)).contains("$.repository: its digest"),
        "digest");
  }

  @Test
  void decode_shouldTakeThemFromTheReference_whenTheyAgreeOrTheFieldsAreAbsent() throws Exception {
    // GIVEN the tag and digest only in the reference, or in both places alike
    ImagePushed only = (ImagePushed) one(plain("team/shop:v1@" + DIGEST, null, null));
    ImagePushed both = (ImagePushed) one(plain("team/shop:v1", "v1", DIGEST));
    // THEN they are the push's
    assertEquals(java.util.List.of("v1"), only.tags());
    assertEquals(DIGEST, only.digest());
    assertEquals("team/shop", both.repository());
  }

  @Test
  void decode_shouldRefuseRatherThanNormalise_whenTheRepositoryIsUpperCaseSchemedOrPadded() {
    // GIVEN repositories a registry would not serve as written
    for (String repository :
        new String[] {"Team/Shop", "https://registry.test/team/shop", "team/shop ", " team/shop"}) {
      // WHEN decoded THEN refused naming $.repository, not silently rewritten
      String message = rejection(plain(repository, "v1", DIGEST));
      assertTrue(message.startsWith("$.repository"), repository + ": " + message);
    }
    // AND a padded tag is refused too
    assertTrue(rejection(plain("team/shop", "v1 ", DIGEST)).startsWith("$.tag"));
  }

  @Test
  void decode_shouldRefuseRatherThanLowerCase_whenOurFormatHasAnUpperCaseDigestOrRegistry() {
    // GIVEN rollgate's own format with capitals where the core's image reference refuses them
    String upper = "sha256:" + DIGEST.substring(7).toUpperCase(java.util.Locale.ROOT);
    String registry =
        "{\"registry\": \"Registry.Test\", \"repository\": \"team/shop\", \"tag\": \"v1\"}";
    // WHEN decoded THEN each is refused naming its field, as the manifest would refuse it
    assertTrue(rejection(plain("team/shop", "v1", upper)).startsWith("$.digest"), "digest");
    assertTrue(rejection(plain("team/shop@" + upper, "v1", null)).startsWith("$.repository"));
    assertTrue(rejection(plain("Registry.Test/team/shop", "v1", null)).startsWith("$.repository"));
    assertTrue(rejection(registry).startsWith("$.registry"), rejection(registry));
  }

  @Test
  void decode_shouldRefuse_whenTheLegacyPlainDecoderGetsWhatTheEventDecoderRefuses() {
    // GIVEN the older PlainPushDecoder WHEN given a time beyond the ledger or an upper-case path
    PlainPushDecoder legacy = new PlainPushDecoder();
    for (String body :
        new String[] {plainAt("+300000-01-01T00:00:00Z"), plain("Team/Shop", "v1", DIGEST)}) {
      // THEN it refuses as the event decoder does
      org.junit.jupiter.api.Assertions.assertThrows(
          DecodeException.class,
          () -> legacy.decode(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), NOW),
          body);
    }
  }
}
