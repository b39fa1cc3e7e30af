package dev.rollgate.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.InMemoryLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PromotionTest {

  private EngineHarness h;

  @BeforeEach
  void v1SucceededInStaging() {
    h = new EngineHarness(new InMemoryLedger());
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
  }

  private static String body(String app, String from, String to, int digest, String extra) {
    return "{\"app\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"digest\":\"%s\",\"by\":\"alice\"%s}"
        .formatted(app, from, to, Deployments.digest(digest), extra);
  }

  private FunctionResponse promote(String body, String token) {
    return h.promote(body, token);
  }

  @Test
  void promote_shouldDeployToProduction_whenTheDigestSucceededInStaging() {
    // WHEN v1 is promoted with the right token
    FunctionResponse r = promote(body("shop", "staging", "production", 1, ""), EngineHarness.TOKEN);
    // THEN production runs v1, and the ledger says who asked
    assertEquals(202, r.status(), r.body());
    Deployment d = h.latest("shop", "production");
    assertEquals(Phase.SUCCEEDED, d.phase(), d.detail());
    assertEquals("v1", d.image().tag());
    assertEquals("promote:alice", d.requestedBy());
    assertEquals("staging", d.promotedFrom());
    assertEquals("promote:alice", h.ledger.transitions(d.id()).get(0).actor());
  }

  @Test
  void promote_shouldAnswer401_whenNoToken() {
    FunctionResponse r = promote(body("shop", "staging", "production", 1, ""), null);
    assertEquals(401, r.status());
    assertTrue(r.body().contains("\"reason\":\"unauthenticated\""), r.body());
    assertTrue(h.deployments("shop", "production").isEmpty());
  }

  @Test
  void promote_shouldAnswer403AndNotEchoTheToken_whenTheTokenIsWrong() {
    FunctionResponse r = promote(body("shop", "staging", "production", 1, ""), "guess");
    assertEquals(403, r.status());
    assertTrue(r.body().contains("wrong token"), r.body());
    assertFalse(r.body().contains(EngineHarness.TOKEN) || r.body().contains("guess"), r.body());
  }

  @Test
  void promote_shouldAnswer404_whenAppOrEnvironmentIsUnknown() {
    FunctionResponse app =
        promote(body("nope", "staging", "production", 1, ""), EngineHarness.TOKEN);
    assertEquals(404, app.status());
    assertTrue(app.body().contains("unknown app 'nope'"), app.body());
    FunctionResponse env = promote(body("shop", "staging", "qa", 1, ""), EngineHarness.TOKEN);
    assertEquals(404, env.status());
    assertTrue(env.body().contains("no environment 'qa'"), env.body());
  }

  @Test
  void promote_shouldAnswer409_whenTheDigestDidNotSucceedInTheSource() {
    FunctionResponse r = promote(body("shop", "staging", "production", 7, ""), EngineHarness.TOKEN);
    assertEquals(409, r.status());
    assertTrue(r.body().contains("has not SUCCEEDED in staging"), r.body());
  }

  @Test
  void promote_shouldAnswer409ThenDeployWithOverride_whenTheDigestIsKnownBadInTheTarget() {
    // GIVEN v1 failed in production once
    h.unhealthyTags.add("shop-production:v1");
    promote(body("shop", "staging", "production", 1, ""), EngineHarness.TOKEN);
    assertEquals(Phase.ROLLBACK_FAILED, h.latest("shop", "production").phase());
    h.unhealthyTags.clear();
    // WHEN promoted again without override THEN refused as known-bad
    FunctionResponse refused =
        promote(body("shop", "staging", "production", 1, ""), EngineHarness.TOKEN);
    assertEquals(409, refused.status());
    assertTrue(refused.body().contains("known-bad"), refused.body());
    // WHEN promoted with an explicit override THEN deployed, and the override is recorded
    FunctionResponse forced =
        promote(
            body("shop", "staging", "production", 1, ",\"override\":true"), EngineHarness.TOKEN);
    assertEquals(202, forced.status(), forced.body());
    Deployment d = h.latest("shop", "production");
    assertEquals(Phase.SUCCEEDED, d.phase(), d.detail());
    assertTrue(d.override());
  }

  @Test
  void promote_shouldAnswer400_whenTheRequestIsMalformed() {
    assertEquals(400, promote("{", EngineHarness.TOKEN).status());
    FunctionResponse both =
        promote(
            body("shop", "staging", "production", 1, ",\"deployment\":\"x\""), EngineHarness.TOKEN);
    assertEquals(400, both.status());
    FunctionResponse missing = promote("{\"app\":\"shop\"}", EngineHarness.TOKEN);
    assertEquals(400, missing.status());
    assertTrue(missing.body().contains("$.from: missing"), missing.body());
  }

  @Test
  void promote_shouldAcceptADeploymentId_whenItSucceededInTheSource() {
    Deployment staging = h.latest("shop", "staging");
    FunctionResponse r =
        promote(
            "{\"app\":\"shop\",\"from\":\"staging\",\"to\":\"production\",\"deployment\":\""
                + staging.id()
                + "\"}",
            EngineHarness.TOKEN);
    assertEquals(202, r.status(), r.body());
    assertEquals(staging.image().digest(), h.latest("shop", "production").image().digest());
    assertEquals("promote:token holder", h.latest("shop", "production").requestedBy());
  }

  @Test
  void promote_shouldAnswer409NamingTheAllowedSource_whenTheEdgeIsNotInTheManifest() {
    // GIVEN v1 SUCCEEDED in staging and in production
    assertEquals(
        202, promote(body("shop", "staging", "production", 1, ""), EngineHarness.TOKEN).status());
    // WHEN promoted backwards (production -> staging) or onto itself (staging -> staging)
    FunctionResponse backwards =
        promote(body("shop", "production", "staging", 1, ""), EngineHarness.TOKEN);
    FunctionResponse itself =
        promote(body("shop", "staging", "staging", 1, ""), EngineHarness.TOKEN);
    // THEN both are refused, saying what may be promoted into staging; nothing was recorded
    for (FunctionResponse r : new FunctionResponse[] {backwards, itself}) {
      assertEquals(409, r.status(), r.body());
      assertTrue(r.body().contains("nothing is promoted into staging"), r.body());
    }
    assertEquals(1, h.deployments("shop", "staging").size());
  }

  @Test
  void promote_shouldFollowTheManifestOrder_whenTheTargetNamesNoFrom() {
    // GIVEN staging, qa (on push, no from) and production (from staging)
    h =
        new EngineHarness(
            new InMemoryLedger(),
            EngineHarness.manifest(1)
                .replace(
                    "      production:",
                    "      qa:\n        target: { platform: memory, service: shop-qa }\n"
                        + "      production:"),
            null);
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    // WHEN v1 goes staging -> qa THEN accepted: qa comes after staging
    FunctionResponse next = promote(body("shop", "staging", "qa", 1, ""), EngineHarness.TOKEN);
    assertEquals(202, next.status(), next.body());
    // WHEN qa -> production THEN refused: production names staging
    FunctionResponse wrong = promote(body("shop", "qa", "production", 1, ""), EngineHarness.TOKEN);
    assertEquals(409, wrong.status(), wrong.body());
    assertTrue(wrong.body().contains("production is promoted from staging, not qa"), wrong.body());
  }

  @Test
  void promote_shouldAnswer400NamingOverride_whenItIsNotAJsonBoolean() {
    // GIVEN override spelt as a string or a number WHEN promoted
    for (String override : new String[] {"\"true\"", "1", "\"yes\"", "{}"}) {
      FunctionResponse r =
          promote(
              body("shop", "staging", "production", 1, ",\"override\":" + override),
              EngineHarness.TOKEN);
      // THEN 400 naming $.override, and nothing deployed
      assertEquals(400, r.status(), override + ": " + r.body());
      assertTrue(r.body().contains("$.override: expected true or false"), r.body());
    }
    assertTrue(h.deployments("shop", "production").isEmpty());
  }

  @Test
  void promote_shouldAnswer400NamingDigest_whenTheDigestIsMalformed() {
    // GIVEN a digest that is no sha256 digest, with and without override
    for (String extra : new String[] {"", ",\"override\":true"}) {
      FunctionResponse r =
          promote(
              "{\"app\":\"shop\",\"from\":\"staging\",\"to\":\"production\","
                  + "\"digest\":\"sha256:XYZ\""
                  + extra
                  + "}",
              EngineHarness.TOKEN);
      // THEN 400 naming $.digest (not a 500)
      assertEquals(400, r.status(), r.body());
      assertTrue(r.body().contains("$.digest: not a sha256 digest"), r.body());
    }
  }

  @Test
  void promote_shouldKeepTheTag_whenAnOverrideDeploysADigestThatNeverSucceeded() {
    // GIVEN v2 failed in staging (never SUCCEEDED anywhere)
    h.unhealthyTags.add("v2");
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    assertEquals(Phase.ROLLED_BACK, h.latest("shop", "staging").phase());
    h.unhealthyTags.clear();
    // WHEN it is promoted to production with an override
    FunctionResponse r =
        promote(
            body("shop", "staging", "production", 2, ",\"override\":true"), EngineHarness.TOKEN);
    // THEN it deploys with the tag the ledger knows for that digest
    assertEquals(202, r.status(), r.body());
    Deployment d = h.latest("shop", "production");
    assertEquals("v2", d.image().tag(), d.detail());
    assertEquals(Phase.SUCCEEDED, d.phase(), d.detail());
  }

  @Test
  void promote_shouldRefuseUpFrontOrUseTheGivenTag_whenATagIsNeededAndUnknown() {
    // GIVEN production's migrations need {tag}, and a digest rollgate never saw
    h =
        new EngineHarness(
            new InMemoryLedger(),
            EngineHarness.manifest(1)
                .replace(
                    "service: shop-production }",
                    "service: shop-production }\n        migrations: { flyway: { locations:"
                        + " [\"filesystem:releases/{tag}\"], database: env:SHOP_DB } }"),
            null);
    // WHEN promoted with override and no tag THEN refused before anything runs, saying the fix
    FunctionResponse refused =
        promote(
            body("shop", "staging", "production", 9, ",\"override\":true"), EngineHarness.TOKEN);
    assertEquals(409, refused.status(), refused.body());
    assertTrue(refused.body().contains("send \\\"tag\\\""), refused.body());
    assertTrue(h.deployments("shop", "production").isEmpty());
    // WHEN the request names the tag THEN it deploys with it
    FunctionResponse tagged =
        promote(
            body("shop", "staging", "production", 9, ",\"override\":true,\"tag\":\"v9\""),
            EngineHarness.TOKEN);
    assertEquals(202, tagged.status(), tagged.body());
    assertEquals("v9", h.latest("shop", "production").image().tag());
  }

  @Test
  void promote_shouldAnswer403WithoutEchoingIt_whenTheTokenIsALiteralNotAReference() {
    // GIVEN promotion.token holds a literal value with a scheme nobody reads
    h =
        new EngineHarness(
            new InMemoryLedger(),
            EngineHarness.manifest(1)
                .replace("env:PROMOTE_TOKEN", "\"postgresql://u:LITERAL-PASSWORD@db/app\""),
            null);
    // WHEN someone promotes
    FunctionResponse r = promote(body("shop", "staging", "production", 1, ""), "guess");
    // THEN promotion is disabled, naming where the value is and never the value
    assertEquals(403, r.status(), r.body());
    assertTrue(r.body().contains("the value at promotion.token is not a secret"), r.body());
    assertFalse(r.body().contains("LITERAL-PASSWORD"), r.body());
  }
}
