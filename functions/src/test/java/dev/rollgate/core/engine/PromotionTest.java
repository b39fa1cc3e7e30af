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
}
