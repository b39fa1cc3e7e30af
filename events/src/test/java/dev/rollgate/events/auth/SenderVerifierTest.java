package dev.rollgate.events.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.events.Delivery;
import dev.rollgate.events.EventDecoder;
import dev.rollgate.events.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SenderVerifierTest {

  private static final String SECRET = "s3cr3t-value-never-printed";
  private static final Instant NOW = Instant.parse("2024-08-16T12:00:00Z");
  private static final byte[] BODY =
      "{\"repository\": \"team/shop\", \"tag\": \"v1\"}".getBytes(StandardCharsets.UTF_8);

  private final SenderVerifier verifier = new SenderVerifier();
  private final List<Verification> seen = new ArrayList<>();

  private Verification verify(Provider p, String secret, byte[] body, Map<String, String> h) {
    return verify(p, secret, body, h, Map.of(), NOW);
  }

  private Verification verify(
      Provider p,
      String secret,
      byte[] body,
      Map<String, String> h,
      Map<String, String> q,
      Instant now) {
    Verification v = verifier.verify(p, secret, body, h, q, now);
    seen.add(v);
    assertNotNull(v.reason());
    assertFalse(v.reason().contains(SECRET), "a reason must never contain the secret");
    return v;
  }

  @Test
  void verify_shouldAccept_whenGivenGitHubsPublishedTestVector() throws Exception {
    // GIVEN the values of GitHub's docs, transcribed in fixtures/github-hmac-test-vector.json
    JsonNode vector = new ObjectMapper().readTree(Fixtures.body("github-hmac-test-vector.json"));
    byte[] payload = vector.get("payload").asText().getBytes(StandardCharsets.UTF_8);
    // WHEN verified with the docs' secret and header
    Verification v =
        verify(
            Provider.GITHUB,
            vector.get("secret").asText(),
            payload,
            Map.of("x-hub-signature-256", vector.get("X-Hub-Signature-256").asText()));
    // THEN it is valid, and the signature helper computes the same value
    assertTrue(v.ok(), v.reason());
    assertEquals(
        vector.get("X-Hub-Signature-256").asText(),
        SenderVerifier.githubSignature(vector.get("secret").asText(), payload));
  }

  @Test
  void verify_shouldKeyOnTheSignedBody_whenGitHubRedeliversUnderANewDeliveryId() {
    // GIVEN one signed body, delivered under two delivery ids (which the signature does not cover)
    Verification first = verify(Provider.GITHUB, SECRET, BODY, github("72d3162e-cc78-11e3"));
    Verification replay = verify(Provider.GITHUB, SECRET, BODY, github("a-new-delivery-id"));
    // WHEN verified THEN both pass, with the same replay key: the digest of the signed body
    assertTrue(first.ok() && replay.ok(), first.reason());
    assertEquals(SenderVerifier.bodyKey(BODY), first.replayKey());
    assertEquals(first.replayKey(), replay.replayKey());
  }

  private static Map<String, String> github(String delivery) {
    return Map.of(
        SenderVerifier.GITHUB_SIGNATURE,
        SenderVerifier.githubSignature(SECRET, BODY),
        SenderVerifier.GITHUB_DELIVERY,
        delivery);
  }

  @Test
  void verify_shouldRefuse_whenGitHubSignedWithAnotherSecret() {
    // GIVEN a body signed with another secret WHEN verified THEN refused
    Verification v =
        verify(
            Provider.GITHUB,
            SECRET,
            BODY,
            Map.of(
                SenderVerifier.GITHUB_SIGNATURE, SenderVerifier.githubSignature("another", BODY)));
    assertFalse(v.ok());
    assertTrue(v.reason().contains("does not match"), v.reason());
  }

  @Test
  void verify_shouldRefuse_whenTheBodyWasTamperedWith() {
    // GIVEN a valid signature over the original body, and one byte changed
    String signature = SenderVerifier.githubSignature(SECRET, BODY);
    byte[] tampered = BODY.clone();
    tampered[tampered.length - 3] = '2';
    // WHEN verified THEN refused
    assertFalse(
        verify(
                Provider.GITHUB,
                SECRET,
                tampered,
                Map.of(SenderVerifier.GITHUB_SIGNATURE, signature))
            .ok());
  }

  @Test
  void verify_shouldRefuse_whenTheSignatureHeaderIsMissingOrMalformed() {
    // GIVEN no header, a sha1 header, and a truncated one WHEN verified THEN each is refused
    Verification missing = verify(Provider.GITHUB, SECRET, BODY, Map.of());
    Verification sha1 =
        verify(Provider.GITHUB, SECRET, BODY, Map.of("X-Hub-Signature", "sha1=abc"));
    Verification shortOne =
        verify(Provider.GITHUB, SECRET, BODY, Map.of(SenderVerifier.GITHUB_SIGNATURE, "sha256=ab"));
    assertFalse(missing.ok());
    assertTrue(missing.reason().contains("header missing"), missing.reason());
    assertFalse(sha1.ok());
    assertFalse(shortOne.ok());
  }

  @Test
  void verify_shouldRefuseEverything_whenNoSecretIsConfigured() {
    // GIVEN an endpoint without a secret WHEN anything arrives THEN it is refused
    for (Provider p : Provider.values()) {
      assertFalse(verify(p, "", BODY, Map.of()).ok(), p.label());
      assertFalse(verify(p, null, BODY, Map.of()).ok(), p.label());
    }
  }

  @Test
  void verify_shouldAcceptTheSecretWithOrWithoutBearer_whenHarborSendsIt() {
    // GIVEN Harbor's Auth Header sent verbatim, in both spellings people configure
    // WHEN verified THEN both are accepted, and another value is refused
    assertTrue(verify(Provider.HARBOR, SECRET, BODY, Map.of("authorization", SECRET)).ok());
    assertTrue(
        verify(Provider.HARBOR, SECRET, BODY, Map.of("Authorization", "Bearer " + SECRET)).ok());
    assertFalse(verify(Provider.HARBOR, SECRET, BODY, Map.of("Authorization", "Bearer x")).ok());
    assertFalse(verify(Provider.HARBOR, SECRET, BODY, Map.of()).ok());
  }

  @Test
  void verify_shouldCheckTheUrlToken_whenDockerHubOrQuayCalls() {
    // GIVEN the token in the query, or copied into X-Rollgate-Token by the endpoint
    for (Provider p : List.of(Provider.DOCKERHUB, Provider.QUAY)) {
      // WHEN verified THEN the right token passes, a wrong or missing one does not
      assertTrue(verify(p, SECRET, BODY, Map.of(), Map.of("token", SECRET), NOW).ok());
      assertTrue(verify(p, SECRET, BODY, Map.of(SenderVerifier.TOKEN, SECRET)).ok());
      assertFalse(verify(p, SECRET, BODY, Map.of(), Map.of("token", SECRET + "x"), NOW).ok());
      Verification missing = verify(p, SECRET, BODY, Map.of());
      assertFalse(missing.ok());
      assertTrue(missing.reason().contains("signs nothing"), missing.reason());
    }
  }

  @Test
  void verify_shouldAccept_whenTheHmacTimestampIsInsideTheWindow() {
    // GIVEN a delivery signed 299 s ago, and one signed 299 s ahead (a fast clock)
    for (long skew : new long[] {-299, 0, 299}) {
      long ts = NOW.getEpochSecond() + skew;
      Map<String, String> headers = hmacHeaders(ts, BODY);
      // WHEN verified THEN it is valid, with the signature as replay key
      Verification v = verify(Provider.HMAC, SECRET, BODY, headers);
      assertTrue(v.ok(), v.reason());
      assertEquals("hmac:" + headers.get(SenderVerifier.SIGNATURE), v.replayKey());
    }
  }

  @Test
  void verify_shouldRefuse_whenTheHmacTimestampIsOutsideTheWindow() {
    // GIVEN deliveries signed 301 s ago and 301 s ahead
    for (long skew : new long[] {-301, 301}) {
      long ts = NOW.getEpochSecond() + skew;
      // WHEN verified THEN they are refused, saying why
      Verification v = verify(Provider.HMAC, SECRET, BODY, hmacHeaders(ts, BODY));
      assertFalse(v.ok());
      assertTrue(v.reason().contains("outside the 300 s window"), v.reason());
    }
  }

  @Test
  void verify_shouldRefuse_whenATimestampIsReplayedWithAnotherBodyOrMoved() {
    // GIVEN a valid delivery, then its signature replayed with a fresh timestamp or a new body
    long ts = NOW.getEpochSecond() - 10;
    Map<String, String> original = hmacHeaders(ts, BODY);
    Map<String, String> moved =
        Map.of(
            SenderVerifier.TIMESTAMP,
            Long.toString(ts + 5),
            SenderVerifier.SIGNATURE,
            original.get(SenderVerifier.SIGNATURE));
    byte[] other =
        "{\"repository\": \"team/evil\", \"tag\": \"v1\"}".getBytes(StandardCharsets.UTF_8);
    // WHEN verified THEN both are refused
    assertFalse(verify(Provider.HMAC, SECRET, BODY, moved).ok());
    assertFalse(verify(Provider.HMAC, SECRET, other, original).ok());
    // AND the same delivery sent twice has one replay key, for the ledger to refuse the second
    assertEquals(
        verify(Provider.HMAC, SECRET, BODY, original).replayKey(),
        verify(Provider.HMAC, SECRET, BODY, original).replayKey());
    // AND once the window has passed, the same delivery is refused outright
    assertFalse(verify(Provider.HMAC, SECRET, BODY, original, Map.of(), NOW.plusSeconds(600)).ok());
  }

  @Test
  void verify_shouldRefuse_whenHmacHeadersAreMissingOrMalformed() {
    // GIVEN no headers, a timestamp that is no number WHEN verified THEN each is refused
    assertFalse(verify(Provider.HMAC, SECRET, BODY, Map.of()).ok());
    Map<String, String> bad = new java.util.HashMap<>(hmacHeaders(NOW.getEpochSecond(), BODY));
    bad.put(SenderVerifier.TIMESTAMP, "yesterday");
    assertFalse(verify(Provider.HMAC, SECRET, BODY, bad).ok());
  }

  @Test
  void verify_shouldAccept_whenAFunctionUrlFixtureIsUnwrappedFirst() throws Exception {
    // GIVEN a Function URL request carrying a signed GitHub ping (see fixtures/SOURCES.md)
    byte[] envelope = Fixtures.body("constructed/aws-function-url-github-ping-base64.json");
    Delivery delivery = new EventDecoder().unwrap(envelope, Map.of());
    // WHEN the unwrapped request is verified THEN the signature holds over the inner body
    Verification v =
        verify(Provider.GITHUB, "rollgate-fixture-secret", delivery.body(), delivery.headers());
    assertTrue(v.ok(), v.reason());
    assertEquals(SenderVerifier.bodyKey(delivery.body()), v.replayKey());
  }

  private static Map<String, String> hmacHeaders(long ts, byte[] body) {
    return Map.of(
        SenderVerifier.TIMESTAMP, Long.toString(ts),
        SenderVerifier.SIGNATURE, SenderVerifier.hmacSignature(SECRET, ts, body));
  }
}
