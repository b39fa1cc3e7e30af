package dev.rollgate.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.manifest.SecretReferences;
import dev.rollgate.core.manifest.StatusSpec;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Content negotiation and access for the {@code status} function's page, shared by every entry
 * (docs/adr/0021). JSON stays the default and keeps the entry's own auth (IAM, a function key); the
 * page ({@code Accept: text/html} first) needs {@code status.read-token} on the cloud entries,
 * presented as {@code X-Rollgate-Token} or {@code Authorization: Bearer}, or a short-lived link
 * signed with it ({@code ?expires=&signature=}, minted by {@code ?link=15m} with the token). A
 * token in the URL ({@code ?token=}) is refused: it would be written to access logs. On the local
 * host, which serves 127.0.0.1 only, the page is open.
 */
final class StatusPageAccess {

  /** The longest a signed link lives: a link copied into a log or a chat is dead within this. */
  static final Duration LONGEST_LINK = Duration.ofHours(1);

  /** How long a link lives when {@code ?link} names no duration. */
  static final Duration DEFAULT_LINK = Duration.ofMinutes(15);

  /** The page's headers: HTML, nothing but its inline style may load, not cached, no referrer. */
  static final Map<String, String> PAGE_HEADERS =
      Map.of(
          "Content-Type", "text/html; charset=utf-8",
          "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'",
          "X-Content-Type-Options", "nosniff",
          "Cache-Control", "no-store",
          "Referrer-Policy", "no-referrer");

  private static final Map<String, String> CHALLENGE =
      Map.of("WWW-Authenticate", "Bearer realm=\"rollgate status\"");

  private static final Pattern LIFETIME = Pattern.compile("(\\d{1,6})([smh])");

  /** What a {@code status} request asks for. */
  enum Ask {
    /** The status as JSON: the default. */
    JSON,
    /** The page: {@code Accept} names {@code text/html} before {@code application/json}. */
    PAGE,
    /** A signed link to the page ({@code ?link} or {@code ?link=15m}). */
    LINK
  }

  private final boolean onLoopback;
  private final StatusSpec spec;
  private final SecretResolver secrets;
  private final Clock clock;

  /**
   * @param onLoopback true on a host serving 127.0.0.1 only (the local host): no token needed
   */
  StatusPageAccess(boolean onLoopback, StatusSpec spec, SecretResolver secrets, Clock clock) {
    this.onLoopback = onLoopback;
    this.spec = spec == null ? StatusSpec.NONE : spec;
    this.secrets = secrets;
    this.clock = clock;
  }

  static Ask ask(FunctionRequest request) {
    if (request.query().containsKey("link")) {
      return Ask.LINK;
    }
    return StatusPage.wanted(request.header("accept")) ? Ask.PAGE : Ask.JSON;
  }

  /** The page for the status JSON {@code status}. */
  static FunctionResponse page(JsonNode status) {
    return new FunctionResponse(200, StatusPage.render(status), PAGE_HEADERS);
  }

  /**
   * Null when {@code request} may have what it asks ({@code ask}: the page or a link); otherwise
   * the refusal: 400 for a token in the URL, 403 when the entry has no read token, 401 (with a
   * {@code WWW-Authenticate} challenge) for a missing or wrong token or a bad or expired link.
   */
  FunctionResponse refusal(FunctionRequest request, Ask ask) {
    if (ask == Ask.JSON) {
      return null;
    }
    if (onLoopback) {
      return ask == Ask.LINK
          ? Json.error(
              400,
              "bad-request",
              "?link: the local host serves its page on 127.0.0.1 without a token; open /status")
          : null;
    }
    if (request.query().containsKey("token")) {
      return Json.error(
          400,
          "bad-request",
          "?token: a token in the URL is written to access logs and browser history; send"
              + " 'X-Rollgate-Token: <read token>' or 'Authorization: Bearer <read token>', or"
              + " open a signed link (GET status?link=15m with the token answers one)");
    }
    String expected;
    try {
      expected = readToken();
    } catch (IllegalStateException e) {
      return Json.error(403, "forbidden", e.getMessage());
    }
    String header = request.header("x-rollgate-token");
    String bearer = bearer(request.header("authorization"));
    boolean signed =
        request.query().containsKey("expires") || request.query().containsKey("signature");
    if (ask == Ask.LINK) {
      // Only the token mints a link, never a link: each would outlive the last.
      String presented = header != null ? header : bearer;
      if (presented == null) {
        return unauthorized(
            "no token: a signed link is minted with 'X-Rollgate-Token: <read token>' or"
                + " 'Authorization: Bearer <read token>'");
      }
      return same(presented, expected)
          ? null
          : unauthorized("wrong read token (status.read-token)");
    }
    // X-Rollgate-Token first: Authorization may carry the platform's own credential (a SigV4
    // signature, a Google ID token) that is no business of rollgate's.
    if (header != null || (!signed && bearer != null)) {
      return same(header != null ? header : bearer, expected)
          ? null
          : unauthorized("wrong read token (status.read-token)");
    }
    if (signed) {
      return linkRefusal(request, expected);
    }
    return unauthorized(
        "no read token: the status page needs 'X-Rollgate-Token: <read token>' or 'Authorization:"
            + " Bearer <read token>' (rollgate.yaml status.read-token), or a signed link"
            + " (GET status?link=15m with the token answers one)");
  }

  /** A signed link to the page, for a request {@link #refusal} let through. */
  FunctionResponse link(FunctionRequest request) {
    Duration lifetime;
    try {
      lifetime = lifetime(request.query().get("link"));
    } catch (IllegalArgumentException e) {
      return Json.error(400, "bad-request", e.getMessage());
    }
    long expires = clock.now().plus(lifetime).getEpochSecond();
    String query = "expires=" + expires + "&signature=" + sign(readToken(), expires);
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("query", query);
    body.put("expires", Instant.ofEpochSecond(expires).toString());
    body.put(
        "use",
        "open this function's URL with ?"
            + query
            + " (and the entry's own key, e.g. Azure's &code=) in a browser; it works until"
            + " it expires");
    return Json.ok(200, body);
  }

  /** {@code ?link} or {@code ?link=90s|15m|1h}: at most {@link #LONGEST_LINK}. */
  static Duration lifetime(String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT_LINK;
    }
    Matcher m = LIFETIME.matcher(text.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new IllegalArgumentException(
          "?link: expected how long the link lives, like 15m, 90s or 1h, got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
    if (d.compareTo(LONGEST_LINK) > 0) {
      throw new IllegalArgumentException(
          "?link: a link lives at most " + LONGEST_LINK.toMinutes() + "m, got '" + text + "'");
    }
    return d;
  }

  /** The link's signature: HMAC-SHA256 over its expiry, keyed with the read token. */
  static String sign(String token, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] sig =
          mac.doFinal(("rollgate status page\n" + expires).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private FunctionResponse linkRefusal(FunctionRequest request, String token) {
    String expiresText = request.query().get("expires");
    String signature = request.query().get("signature");
    long expires;
    try {
      expires = Long.parseLong(expiresText == null ? "" : expiresText.trim());
    } catch (NumberFormatException e) {
      return unauthorized("not a signed link: ?expires must be a time in epoch seconds");
    }
    if (signature == null || !same(signature, sign(token, expires))) {
      return unauthorized("the link's signature does not match: ask for a new one (?link=15m)");
    }
    Instant now = clock.now();
    Instant until = Instant.ofEpochSecond(expires);
    if (!now.isBefore(until)) {
      return unauthorized("the link expired at " + until + ": ask for a new one (?link=15m)");
    }
    if (Duration.between(now, until).compareTo(LONGEST_LINK) > 0) {
      return unauthorized(
          "the link lives past " + LONGEST_LINK.toMinutes() + " minutes from now: mint a new one");
    }
    return null;
  }

  /** The read token's value; throws with what to fix when the entry has none. */
  private String readToken() {
    SecretRef ref = spec.readToken();
    if (ref == null) {
      throw new IllegalStateException(
          "the status page is off on this entry: rollgate.yaml sets no status.read-token"
              + " (docs/http-api.md#the-status-page); the JSON status, the default, answers as"
              + " before");
    }
    if (!SecretReferences.isReference(ref, secrets.schemes())) {
      // Never echoed: a value no resolver reads may be the secret itself.
      throw new IllegalStateException(
          "the status page is off: "
              + SecretReferences.notAReference("status.read-token", secrets.schemes()));
    }
    return secrets
        .resolve(ref)
        .filter(s -> !s.isBlank())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the status page is off: secret " + ref + " (status.read-token) is not set"));
  }

  private static FunctionResponse unauthorized(String message) {
    FunctionResponse error = Json.error(401, "unauthenticated", message);
    return new FunctionResponse(error.status(), error.body(), CHALLENGE);
  }

  private static String bearer(String authorization) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      return token.isEmpty() ? null : token;
    }
    return null;
  }

  /** Compared as SHA-256 digests in constant time, so timing tells nothing of the token. */
  private static boolean same(String presented, String expected) {
    return MessageDigest.isEqual(sha256(presented), sha256(expected));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
