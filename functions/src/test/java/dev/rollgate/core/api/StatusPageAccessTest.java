package dev.rollgate.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.InMemoryLedger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code status} as every cloud entry serves it: JSON by default as before, the page for a browser
 * only with the read token (a header, or a short-lived signed link), never with a token in the URL.
 */
class StatusPageAccessTest {

  private static final String BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8";
  private static final String WITH_READ_TOKEN =
      EngineHarness.manifest(1) + "status: { read-token: env:READ_TOKEN }\n";

  private static FunctionResponse status(
      EngineHarness h, Map<String, String> headers, Map<String, String> query) {
    return h.api.status(new FunctionRequest(new byte[0], headers, query));
  }

  private static EngineHarness deployedShop(String manifest) {
    EngineHarness h = new EngineHarness(new InMemoryLedger(), manifest, null);
    assertEquals(202, h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null)).status());
    return h;
  }

  @Test
  void status_shouldServeThePage_whenABrowserSendsTheReadTokenInAHeader() {
    // GIVEN shop v1 serving in staging, and a read token in the manifest
    EngineHarness h = deployedShop(WITH_READ_TOKEN);
    for (Map<String, String> credential :
        java.util.List.of(
            Map.of("authorization", "Bearer " + EngineHarness.READ_TOKEN),
            Map.of("x-rollgate-token", EngineHarness.READ_TOKEN),
            // The platform's IAM holds Authorization; rollgate's token travels beside it.
            Map.of(
                "authorization",
                "Bearer eyJhbGciOi.SIGNATURE_REMOVED_BY_GOOGLE",
                "x-rollgate-token",
                EngineHarness.READ_TOKEN))) {
      Map<String, String> headers = new LinkedHashMap<>(credential);
      headers.put("accept", BROWSER);
      // WHEN a browser asks for status with the token
      FunctionResponse page = status(h, headers, Map.of());
      // THEN the page, as HTML that loads nothing and is not cached, says what serves where
      assertEquals(200, page.status(), page.body());
      assertEquals("text/html; charset=utf-8", page.headers().get("Content-Type"));
      assertEquals("no-store", page.headers().get("Cache-Control"));
      assertTrue(page.headers().get("Content-Security-Policy").startsWith("default-src 'none'"));
      assertTrue(page.body().contains("data-env=\"shop/staging\""), page.body());
      assertTrue(page.body().contains("<strong class=\"tag\">v1</strong>"), page.body());
    }
  }

  @Test
  void status_shouldAnswer401WithAChallenge_whenThePageIsAskedWithoutOrWithAWrongToken() {
    EngineHarness h = deployedShop(WITH_READ_TOKEN);
    Map<String, Map<String, String>> cases =
        Map.of(
            "no read token",
            Map.of("accept", BROWSER),
            "wrong read token",
            Map.of("accept", BROWSER, "authorization", "Bearer " + EngineHarness.TOKEN),
            "wrong read token ",
            Map.of("accept", BROWSER, "x-rollgate-token", "guess"));
    cases.forEach(
        (why, headers) -> {
          FunctionResponse r = status(h, headers, Map.of());
          assertEquals(401, r.status(), why + ": " + r.body());
          assertTrue(r.body().contains(why.strip()), r.body());
          assertEquals(
              "Bearer realm=\"rollgate status\"", r.headers().get("WWW-Authenticate"), why);
          assertFalse(r.body().contains("shop/staging"), r.body());
          assertFalse(r.body().contains(EngineHarness.READ_TOKEN), r.body());
        });
  }

  @Test
  void status_shouldAnswerJsonAsBefore_whenNoHtmlIsAskedFor() throws Exception {
    // GIVEN a read token in the manifest
    EngineHarness h = deployedShop(WITH_READ_TOKEN);
    for (Map<String, String> headers :
        java.util.List.of(
            Map.<String, String>of(),
            Map.of("accept", "application/json"),
            Map.of("accept", "application/json, text/html"),
            Map.of("accept", "*/*"))) {
      // WHEN an API client asks without any token
      FunctionResponse r = status(h, headers, Map.of());
      // THEN JSON, as before: the entry's own auth (IAM, a function key) guards it
      assertEquals(200, r.status(), headers + ": " + r.body());
      assertFalse(r.headers().containsKey("Content-Type"), r.headers().toString());
      JsonNode json = Json.MAPPER.readTree(r.body());
      assertEquals("v1", json.path("environments").get(0).path("serving").path("tag").asText());
    }
  }

  @Test
  void status_shouldRefuseThePage_whenTheManifestSetsNoReadToken() {
    // GIVEN no status.read-token
    EngineHarness h = deployedShop(EngineHarness.manifest(1));
    // WHEN a browser asks, even with a token
    FunctionResponse r =
        status(
            h,
            Map.of("accept", BROWSER, "authorization", "Bearer " + EngineHarness.READ_TOKEN),
            Map.of());
    // THEN 403 saying what to set; JSON still answers
    assertEquals(403, r.status(), r.body());
    assertTrue(r.body().contains("rollgate.yaml sets no status.read-token"), r.body());
    assertEquals(200, status(h, Map.of(), Map.of()).status());
  }

  @Test
  void status_shouldRefuseATokenInTheUrl_becauseLogsKeepUrls() {
    EngineHarness h = deployedShop(WITH_READ_TOKEN);
    FunctionResponse r =
        status(h, Map.of("accept", BROWSER), Map.of("token", EngineHarness.READ_TOKEN));
    assertEquals(400, r.status(), r.body());
    assertTrue(r.body().contains("?token: a token in the URL is written to access logs"));
  }

  @Test
  void status_shouldServeThePageOnASignedLink_untilTheLinkExpires() throws Exception {
    // GIVEN a link minted with the read token, for 10 minutes
    EngineHarness h = deployedShop(WITH_READ_TOKEN);
    FunctionResponse minted =
        status(h, Map.of("x-rollgate-token", EngineHarness.READ_TOKEN), Map.of("link", "10m"));
    assertEquals(200, minted.status(), minted.body());
    JsonNode link = Json.MAPPER.readTree(minted.body());
    assertEquals(
        h.clock.now().plus(Duration.ofMinutes(10)).toString(), link.path("expires").asText());
    Map<String, String> query = query(link.path("query").asText());
    assertFalse(link.toString().contains(EngineHarness.READ_TOKEN), link.toString());

    // WHEN a browser opens it, THEN the page
    FunctionResponse page = status(h, Map.of("accept", BROWSER), query);
    assertEquals(200, page.status(), page.body());
    assertTrue(page.body().contains("data-env=\"shop/staging\""), page.body());

    // WHEN its expiry or signature is changed, THEN 401
    Map<String, String> later = new LinkedHashMap<>(query);
    later.put("expires", String.valueOf(Long.parseLong(query.get("expires")) + 3600));
    FunctionResponse forged = status(h, Map.of("accept", BROWSER), later);
    assertEquals(401, forged.status(), forged.body());
    assertTrue(forged.body().contains("signature does not match"), forged.body());

    // WHEN it is opened after it expired, THEN 401 naming when
    h.clock.advance(Duration.ofMinutes(10));
    FunctionResponse expired = status(h, Map.of("accept", BROWSER), query);
    assertEquals(401, expired.status(), expired.body());
    assertTrue(expired.body().contains("the link expired at"), expired.body());
  }

  @Test
  void status_shouldMintNoLink_whenAskedWithoutTheTokenOrForMoreThanAnHour() {
    EngineHarness h = deployedShop(WITH_READ_TOKEN);
    // A link cannot mint a link: each would outlive the last.
    long expires = h.clock.now().plus(Duration.ofMinutes(5)).getEpochSecond();
    Map<String, String> signed = new LinkedHashMap<>();
    signed.put("link", "1h");
    signed.put("expires", String.valueOf(expires));
    signed.put("signature", StatusPageAccess.sign(EngineHarness.READ_TOKEN, expires));
    assertEquals(401, status(h, Map.of(), signed).status());
    // ... also when Authorization holds someone else's credential (the platform's IAM)
    assertEquals(401, status(h, Map.of("authorization", "Bearer iam-id-token"), signed).status());
    FunctionResponse tooLong =
        status(h, Map.of("x-rollgate-token", EngineHarness.READ_TOKEN), Map.of("link", "2h"));
    assertEquals(400, tooLong.status(), tooLong.body());
    assertTrue(tooLong.body().contains("a link lives at most 60m"), tooLong.body());
    // A link signed for longer than an hour (by whoever holds the token) is refused as well.
    long far = h.clock.now().plus(Duration.ofDays(1)).getEpochSecond();
    FunctionResponse farLink =
        status(
            h,
            Map.of("accept", BROWSER),
            Map.of(
                "expires",
                String.valueOf(far),
                "signature",
                StatusPageAccess.sign(EngineHarness.READ_TOKEN, far)));
    assertEquals(401, farLink.status(), farLink.body());
  }

  @Test
  void status_shouldServeThePageWithoutAToken_onAHostServing127001Only() {
    // GIVEN the local host's api (no read token in the manifest)
    EngineHarness h = deployedShop(EngineHarness.manifest(1));
    RollgateApi local =
        new RollgateApi(
            h.engine,
            new EnvSecretResolver(Map.<String, String>of()::get),
            Duration.ofMinutes(5),
            new BackupApi(null),
            null,
            true);
    // WHEN a browser asks without a token
    FunctionResponse page =
        local.status(new FunctionRequest(new byte[0], Map.of("accept", BROWSER), Map.of()));
    // THEN the page
    assertEquals(200, page.status(), page.body());
    assertTrue(page.body().contains("data-env=\"shop/staging\""), page.body());
  }

  private static Map<String, String> query(String text) {
    Map<String, String> q = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      q.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return q;
  }
}
