package dev.rollgate.events.auth;

import dev.rollgate.events.Delivery;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook delivery comes from the sender it claims, before anything is decoded:
 * signatures over the raw body, shared secrets and tokens, all compared in constant time. Stateless
 * and thread-safe; replays within the timestamp window are refused by the ledger through the replay
 * key and the triggers' ids.
 */
public final class SenderVerifier {

  /** GitHub's signature header. */
  public static final String GITHUB_SIGNATURE = "X-Hub-Signature-256";

  /** GitHub's delivery id: the same on a redelivery, so a replay key. */
  public static final String GITHUB_DELIVERY = "X-GitHub-Delivery";

  /** The header Harbor sends its configured "Auth Header" value in. */
  public static final String AUTHORIZATION = "Authorization";

  /** Epoch seconds when the sender signed, for {@link Provider#HMAC}. */
  public static final String TIMESTAMP = "X-Rollgate-Timestamp";

  /**
   * {@code sha256=<hex>} of HMAC-SHA256(secret, timestamp + "." + body), for {@link Provider#HMAC}.
   */
  public static final String SIGNATURE = "X-Rollgate-Signature";

  /**
   * Where a token from the URL goes for {@link Provider#DOCKERHUB} and {@link Provider#QUAY}: the
   * endpoint copies its {@code token} query parameter (or path segment) here, or passes it in the
   * query map.
   */
  public static final String TOKEN = "X-Rollgate-Token";

  /** How far a {@link Provider#HMAC} timestamp may be from now, either way. */
  public static final Duration WINDOW = Duration.ofMinutes(5);

  private static final Pattern SHA256_HEX = Pattern.compile("sha256=[0-9a-fA-F]{64}");
  private static final Pattern EPOCH_SECONDS = Pattern.compile("[0-9]{1,12}");

  /** Verifies a delivery without a query string. */
  public Verification verify(
      Provider provider, String secret, byte[] body, Map<String, String> headers, Instant now) {
    return verify(provider, secret, body, headers, Map.of(), now);
  }

  /**
   * Verifies one delivery.
   *
   * @param secret the secret configured for this endpoint; a missing one refuses everything
   * @param body the raw body, exactly as received (after an HTTP envelope is unwrapped)
   * @param headers the request's headers, names in any case
   * @param query the request's query parameters, for the token of Docker Hub and Quay
   * @param now the current time, for the HMAC scheme's window
   */
  public Verification verify(
      Provider provider,
      String secret,
      byte[] body,
      Map<String, String> headers,
      Map<String, String> query,
      Instant now) {
    if (secret == null || secret.isEmpty()) {
      return Verification.refused(
          "no secret is configured for " + provider.label() + ": every delivery is refused");
    }
    Map<String, String> h = Delivery.caseInsensitive(headers);
    byte[] b = body == null ? new byte[0] : body;
    switch (provider) {
      case GITHUB:
        return github(secret, b, h);
      case HARBOR:
        return harbor(secret, b, h);
      case DOCKERHUB:
      case QUAY:
      case TOKEN:
        return token(provider, secret, b, h, query == null ? Map.of() : query);
      case HMAC:
        return hmac(secret, b, h, now);
      default:
        throw new IllegalArgumentException("unknown provider " + provider);
    }
  }

  /** The {@code X-Hub-Signature-256} value GitHub sends for {@code body}. */
  public static String githubSignature(String secret, byte[] body) {
    return "sha256=" + HexFormat.of().formatHex(hmacSha256(secret, body));
  }

  /** The {@code X-Rollgate-Signature} value for {@code body} signed at {@code epochSeconds}. */
  public static String hmacSignature(String secret, long epochSeconds, byte[] body) {
    byte[] prefix = (epochSeconds + ".").getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, signed, 0, prefix.length);
    System.arraycopy(body, 0, signed, prefix.length, body.length);
    return "sha256=" + HexFormat.of().formatHex(hmacSha256(secret, signed));
  }

  private static Verification github(String secret, byte[] body, Map<String, String> headers) {
    String given = headers.get(GITHUB_SIGNATURE);
    if (given == null) {
      return Verification.refused(
          GITHUB_SIGNATURE + " header missing: set a secret on the GitHub webhook");
    }
    if (!SHA256_HEX.matcher(given.trim()).matches()) {
      return Verification.refused(GITHUB_SIGNATURE + " is not 'sha256=' and 64 hex digits");
    }
    if (!sameSignature(given, githubSignature(secret, body))) {
      return Verification.refused(
          GITHUB_SIGNATURE
              + " does not match the body: the secrets differ or the body was changed");
    }
    // X-GitHub-Delivery is outside the signature: anyone can replay the body under a new one.
    return Verification.accepted("GitHub signature valid", bodyKey(body));
  }

  /** {@code sha256:<hex>} of the body: the replay key of what a check vouches for. */
  public static String bodyKey(byte[] body) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static Verification harbor(String secret, byte[] body, Map<String, String> headers) {
    String given = headers.get(AUTHORIZATION);
    if (given == null) {
      return Verification.refused(
          AUTHORIZATION + " header missing: set the webhook's Auth Header in Harbor");
    }
    // Harbor sends its "Auth Header" field verbatim; people write it with or without "Bearer ".
    boolean plain = constantTimeEquals(given.trim(), secret);
    boolean bearer = constantTimeEquals(given.trim(), "Bearer " + secret);
    return plain | bearer
        ? Verification.accepted("Harbor auth header valid", bodyKey(body))
        : Verification.refused(AUTHORIZATION + " does not match the configured Harbor secret");
  }

  private static Verification token(
      Provider provider,
      String secret,
      byte[] body,
      Map<String, String> headers,
      Map<String, String> query) {
    String given = query.get("token");
    if (given == null) {
      given = headers.get(TOKEN);
    }
    if (given == null) {
      return Verification.refused(
          provider.label()
              + " signs nothing: its webhook URL must carry the secret token (?token=...)");
    }
    return constantTimeEquals(given, secret)
        ? Verification.accepted(provider.label() + " token valid", bodyKey(body))
        : Verification.refused(
            "the token in the URL does not match the " + provider.label() + " secret");
  }

  private static Verification hmac(
      String secret, byte[] body, Map<String, String> headers, Instant now) {
    String timestamp = headers.get(TIMESTAMP);
    String given = headers.get(SIGNATURE);
    if (timestamp == null || given == null) {
      return Verification.refused(
          (timestamp == null ? TIMESTAMP : SIGNATURE) + " header missing: sign the request");
    }
    if (!EPOCH_SECONDS.matcher(timestamp.trim()).matches()) {
      return Verification.refused(TIMESTAMP + " is not epoch seconds");
    }
    if (!SHA256_HEX.matcher(given.trim()).matches()) {
      return Verification.refused(SIGNATURE + " is not 'sha256=' and 64 hex digits");
    }
    long seconds = Long.parseLong(timestamp.trim());
    long skew = Math.abs(now.getEpochSecond() - seconds);
    if (skew > WINDOW.toSeconds()) {
      return Verification.refused(
          TIMESTAMP
              + " is "
              + skew
              + " s away from now, outside the "
              + WINDOW.toSeconds()
              + " s window: a replay, or the sender's clock is wrong");
    }
    if (!sameSignature(given, hmacSignature(secret, seconds, body))) {
      return Verification.refused(
          SIGNATURE + " does not match: the secrets differ, or the body or timestamp was changed");
    }
    return Verification.accepted(
        "signature valid", "hmac:" + given.trim().toLowerCase(Locale.ROOT));
  }

  private static boolean sameSignature(String given, String expected) {
    return MessageDigest.isEqual(
        given.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
        expected.getBytes(StandardCharsets.US_ASCII));
  }

  // Hashing first makes the comparison independent of the lengths, which would otherwise leak.
  private static boolean constantTimeEquals(String given, String secret) {
    return MessageDigest.isEqual(sha256(given), sha256(secret));
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static byte[] hmacSha256(String secret, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(data);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
