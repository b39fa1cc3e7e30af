package dev.rollgate.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.contract.ReleaseContract;
import dev.rollgate.core.model.Phase;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.InMemoryLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code plan}: the delivery's decisions with the ledger only read. */
class PlanTest {

  private EngineHarness h;

  @BeforeEach
  void harness() {
    h = new EngineHarness(new InMemoryLedger());
  }

  private JsonNode plan(String body) throws Exception {
    FunctionResponse r = h.api.plan(FunctionRequest.of(body));
    assertEquals(200, r.status(), r.body());
    return Json.MAPPER.readTree(r.body());
  }

  private int transitions() {
    return h.ledger.timeline(0, 10_000).size();
  }

  @Test
  void plan_shouldDeployStagingOnly_andWriteNothing() throws Exception {
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    int before = transitions();
    JsonNode p = plan(EngineHarness.push("shop", "v2", 2, "e2", null));
    assertTrue(p.path("wouldDeploy").asBoolean(), p.toString());
    assertEquals(1, p.path("environments").size(), p.toString());
    JsonNode staging = p.path("environments").get(0);
    assertEquals("deploy", staging.path("decision").asText());
    // The memory platform has no plan of its own: the default names the image only.
    assertEquals("image", staging.path("changes").get(0).path("field").asText(), p.toString());
    assertTrue(staging.path("changes").get(0).path("from").asText().contains(":v1@"));
    // A runner without pending(): unknown, said so
    assertFalse(staging.path("migrations").path("known").asBoolean(), p.toString());
    assertEquals(before, transitions());
    assertEquals(1, h.deployments("shop", "staging").size());
    // AND the event was not recorded: delivering it now deploys
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    assertEquals(Phase.SUCCEEDED, h.latest("shop", "staging").phase());
    JsonNode again = plan(EngineHarness.push("shop", "v2", 2, "e2", null));
    assertFalse(again.path("wouldDeploy").asBoolean());
    assertTrue(
        again.path("reasons").get(0).asText().contains("was received before"), again.toString());
  }

  @Test
  void plan_shouldRefuseAKnownBadDigest_withTheReason() throws Exception {
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    h.unhealthyTags.add("v2");
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    assertEquals(Phase.ROLLED_BACK, h.latest("shop", "staging").phase());
    int before = transitions();
    JsonNode p = plan(EngineHarness.push("shop", "v2", 2, "e3", null));
    assertFalse(p.path("wouldDeploy").asBoolean(), p.toString());
    assertEquals("refused", p.path("environments").get(0).path("decision").asText());
    assertTrue(p.path("reasons").get(0).asText().startsWith("shop/staging: "), p.toString());
    assertEquals(before, transitions());
  }

  @Test
  void plan_shouldSaySuperseded_whenANewerImageStarted() throws Exception {
    h.imagePushed(EngineHarness.push("shop", "v3", 3, "e3", "2026-01-15T12:00:00Z"));
    JsonNode p = plan(EngineHarness.push("shop", "v2", 2, "e2", "2026-01-15T11:00:00Z"));
    assertFalse(p.path("wouldDeploy").asBoolean(), p.toString());
    JsonNode staging = p.path("environments").get(0);
    assertEquals("superseded", staging.path("decision").asText(), p.toString());
    assertTrue(staging.path("reason").asText().contains("of a newer image already started"));
  }

  @Test
  void plan_shouldSayNothingFollowsTheRepository() throws Exception {
    JsonNode p =
        plan(
            "{\"repository\":\"registry.test/other\",\"tag\":\"v1\",\"digest\":\"sha256:"
                + "ab".repeat(32)
                + "\"}");
    assertFalse(p.path("wouldDeploy").asBoolean());
    assertTrue(p.path("reasons").get(0).asText().contains("no app in rollgate.yaml follows"));
  }

  @Test
  void plan_shouldListEachServicesTargetAndChange_inReleaseOrder_whenSeveralReleaseTogether()
      throws Exception {
    // GIVEN an environment that releases api then web, both serving v1
    h = new EngineHarness(new InMemoryLedger(), ReleaseContract.MANIFEST, null);
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    int before = transitions();
    // WHEN v2 is planned
    JsonNode p = plan(EngineHarness.push("shop", "v2", 2, "e2", null));
    // THEN both services are listed, in order, each with its own target and image change
    JsonNode staging = p.path("environments").get(0);
    assertEquals("deploy", staging.path("decision").asText(), p.toString());
    JsonNode services = staging.path("services");
    assertEquals(2, services.size(), p.toString());
    assertEquals("api", services.get(0).path("service").asText());
    assertEquals("memory:api-staging", services.get(0).path("target").asText());
    assertEquals("web", services.get(1).path("service").asText());
    assertEquals("memory:web-staging", services.get(1).path("target").asText());
    for (JsonNode s : services) {
      JsonNode change = s.path("changes").get(0);
      assertEquals("image", change.path("field").asText(), p.toString());
      assertTrue(change.path("from").asText().contains(":v1@"), p.toString());
      assertTrue(change.path("to").asText().contains(":v2@"), p.toString());
    }
    // AND nothing was written
    assertEquals(before, transitions());
  }
}
