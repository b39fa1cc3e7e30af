package dev.rollgate.contract;

import static dev.rollgate.core.model.Phase.ABORTED;
import static dev.rollgate.core.model.Phase.ROLLED_BACK;
import static dev.rollgate.core.model.Phase.ROLLING_OUT;
import static dev.rollgate.core.model.Phase.SUCCEEDED;
import static dev.rollgate.core.model.Phase.VERIFYING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.api.StatusPage;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.ReleasePart;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.testing.CrashingLedger;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.EngineHarness;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Ordered releases of several services ({@code services:}) on any ledger: api then web after the
 * app's one migration, the next only once the previous is verified; a failing part rolls back every
 * part the release touched, in reverse order; one deployment in the ledger with its parts.
 */
public abstract class ReleaseContract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HEALTH =
      "health: { interval: 1s, successThreshold: 3, failureThreshold: 3, deadline: 30s }";

  /** shop: staging releases api then web on push; production the same, on promotion. */
  public static final String MANIFEST =
      """
      version: 1
      promotion: { token: env:PROMOTE_TOKEN, allowOverride: true }
      apps:
        - name: shop
          image: registry.test/team/shop
          environments:
            staging:
              migrations: { flyway: { locations: ["filesystem:db"], database: env:SHOP_DB } }
              services:
                - name: api
                  target: { platform: memory, service: api-staging }
                  %1$s
                - name: web
                  target: { platform: memory, service: web-staging }
                  %1$s
            production:
              deploy: on-promotion
              from: staging
              services:
                - { name: api, target: { platform: memory, service: api-production }, %1$s }
                - { name: web, target: { platform: memory, service: web-production }, %1$s }
      """
          .formatted(HEALTH);

  protected abstract Ledger newLedger();

  private EngineHarness harness(Ledger ledger) {
    return new EngineHarness(ledger, MANIFEST, null);
  }

  private static String push(String tag, int n) {
    return EngineHarness.push("shop", tag, n, "e-" + tag, null);
  }

  private static List<String> reasons(Ledger ledger, Deployment d) {
    return ledger.transitions(d.id()).stream().map(Transition::reason).toList();
  }

  private static int indexOf(List<String> reasons, String start) {
    for (int i = 0; i < reasons.size(); i++) {
      if (reasons.get(i) != null && reasons.get(i).startsWith(start)) {
        return i;
      }
    }
    throw new AssertionError("no reason starting with '" + start + "' in " + reasons);
  }

  private static ReleasePart part(Deployment d, String service) {
    return d.parts().stream().filter(p -> p.service().equals(service)).findFirst().orElseThrow();
  }

  @Test
  void release_shouldRollOutEachServiceInOrder_whenEachIsVerified() throws Exception {
    // GIVEN api and web serving v1
    EngineHarness h = harness(newLedger());
    h.imagePushed(push("v1", 1));

    // WHEN v2 is pushed
    FunctionResponse r = h.imagePushed(push("v2", 2));

    // THEN one deployment released both, after one migration: api, then web
    assertEquals(202, r.status(), r.body());
    Deployment v2 = h.latest("shop", "staging");
    assertEquals(SUCCEEDED, v2.phase(), v2.detail());
    assertEquals("v2", h.servingTag("api-staging"));
    assertEquals("v2", h.servingTag("web-staging"));
    assertEquals(2, h.deployments("shop", "staging").size(), "one deployment per release");
    assertEquals(List.of(1, 2), h.migrations.history("shop", "staging"));
    assertEquals(List.of("api", "web"), v2.parts().stream().map(ReleasePart::service).toList());
    for (ReleasePart p : v2.parts()) {
      assertEquals(SUCCEEDED, p.state(), p.toString());
      assertEquals(Deployments.digest(2), p.image().digest());
    }
    assertEquals("api-staging-2", part(v2, "api").revision());
    assertEquals("api-staging-1", part(v2, "api").previousRevision());
    // AND the timeline tells each part, web only after api was healthy
    List<String> reasons = reasons(h.ledger, v2);
    int apiOut = indexOf(reasons, "api: rollout issued: revision api-staging-2");
    int apiHealthy = indexOf(reasons, "api: healthy: 3 consecutive healthy probes");
    int webOut = indexOf(reasons, "web: rollout issued: revision web-staging-2");
    int done = indexOf(reasons, "web: healthy: ");
    assertTrue(apiOut < apiHealthy && apiHealthy < webOut && webOut < done, reasons.toString());
    assertTrue(reasons.get(apiHealthy).endsWith("; web next"), reasons.get(apiHealthy));
    assertTrue(reasons.get(done).endsWith("release of api, then web succeeded"), reasons.get(done));
    assertTrue(h.ledger.verifyChain().isIntact());

    // AND status shows one release with its parts
    JsonNode env = JSON.readTree(h.api.status(FunctionRequest.of("")).body()).get("environments");
    JsonNode staging = env.get(0);
    assertEquals("api", staging.path("services").get(0).path("name").asText());
    JsonNode parts = staging.path("recent").get(0).path("parts");
    assertEquals(2, parts.size(), staging.toString());
    assertEquals("web", parts.get(1).path("service").asText());
    assertEquals("web-staging-2", parts.get(1).path("revision").asText());
    assertEquals("SUCCEEDED", parts.get(1).path("state").asText());
    String page = StatusPage.render(JSON.readTree(h.api.status(FunctionRequest.of("")).body()));
    assertTrue(page.contains("<ol class=\"parts\"><li>api"), page);
  }

  @Test
  void release_shouldRestoreEveryPartInReverseOrder_whenTheSecondServiceFails() throws Exception {
    // GIVEN api and web serving v1, and web unhealthy with v2
    EngineHarness h = harness(newLedger());
    h.imagePushed(push("v1", 1));
    h.unhealthyTags.add("web-staging:v2");

    // WHEN v2 is pushed
    h.imagePushed(push("v2", 2));

    // THEN both end on their previous revisions, web restored first, then api
    Deployment v2 = h.latest("shop", "staging");
    assertEquals(ROLLED_BACK, v2.phase(), v2.detail());
    assertFalse(v2.active());
    assertEquals("v1", h.servingTag("api-staging"));
    assertEquals("v1", h.servingTag("web-staging"));
    assertEquals(
        List.of("web-staging:web-staging-1", "api-staging:api-staging-1"), h.platform.restores());
    assertEquals(ROLLED_BACK, part(v2, "api").state());
    assertEquals(ROLLED_BACK, part(v2, "web").state());
    // AND the timeline says so, naming each part
    List<String> reasons = reasons(h.ledger, v2);
    int failed = indexOf(reasons, "web: 3 consecutive unhealthy probes");
    int plan = indexOf(reasons, "rolling back web, then api");
    int web = indexOf(reasons, "web: revision web-staging-1 restored and healthy");
    int api = indexOf(reasons, "api: revision api-staging-1 restored and healthy");
    int outcome =
        indexOf(
            reasons,
            "release rolled back: restored web (revision web-staging-1), then api (revision"
                + " api-staging-1)");
    assertTrue(failed < plan && plan < web && web < api && api < outcome, reasons.toString());
    List<Transition> ts = h.ledger.transitions(v2.id());
    assertEquals(Phase.FAILED, ts.get(failed).to());
    assertEquals(ROLLED_BACK, ts.get(ts.size() - 1).to());
    assertTrue(h.ledger.verifyChain().isIntact());
    // AND the release's digest is known-bad there, as for one service
    assertTrue(h.ledger.isKnownBad("shop", "staging", Deployments.digest(2)));
  }

  @Test
  void release_shouldEndRollbackFailedNamingTheParts_whenNothingServedBefore() throws Exception {
    // GIVEN a first release whose web is unhealthy: nothing served either service before
    EngineHarness h = harness(newLedger());
    h.unhealthyTags.add("web-staging:v1");

    // WHEN v1 is pushed
    h.imagePushed(push("v1", 1));

    // THEN it ends ROLLBACK_FAILED, naming each part that could not go back, web first
    Deployment v1 = h.latest("shop", "staging");
    assertEquals(Phase.ROLLBACK_FAILED, v1.phase(), v1.detail());
    assertFalse(v1.active());
    assertTrue(
        v1.detail()
            .startsWith(
                "rollback failed for web (nothing served before, nothing to restore; revision"
                    + " web-staging-1 was left in place: fix or remove it by hand), api ("),
        v1.detail());
    assertEquals(Phase.ROLLBACK_FAILED, part(v1, "api").state());
    assertEquals(Phase.ROLLBACK_FAILED, part(v1, "web").state());
    assertTrue(h.platform.restores().isEmpty(), h.platform.restores().toString());
  }

  @Test
  void release_shouldContinueWithTheNextPart_whenARunDiesBetweenParts() throws Exception {
    // GIVEN api and web serving v1, and a run of v2 that dies right after api was verified
    Ledger ledger = newLedger();
    EngineHarness h = harness(ledger);
    h.imagePushed(push("v1", 1));
    Predicate<Deployment> apiDone =
        d ->
            d.phase() == ROLLING_OUT
                && !d.parts().isEmpty()
                && d.parts().get(0).state() == SUCCEEDED;
    EngineHarness dying = h.restartedOn(CrashingLedger.whenWritten(ledger, apiDone));
    assertThrows(CrashingLedger.Crash.class, () -> dying.imagePushed(push("v2", 2)));
    EngineHarness restarted = h.restartedOn(ledger);
    assertEquals(ROLLING_OUT, restarted.latest("shop", "staging").phase());
    assertEquals("v2", h.servingTag("api-staging"));
    assertEquals("v1", h.servingTag("web-staging"));

    // WHEN reconcile runs once the dead run's lease expired
    h.clock.advance(Duration.ofMinutes(10));
    restarted.reconcile();

    // THEN the release went on with web, and api was not rolled out again
    Deployment v2 = restarted.latest("shop", "staging");
    assertEquals(SUCCEEDED, v2.phase(), v2.detail());
    assertEquals("v2", h.servingTag("web-staging"));
    assertEquals(2, h.platform.revisionsCreated("api-staging"));
    assertEquals(2, h.platform.revisionsCreated("web-staging"));
    assertEquals(List.of(1, 2), h.migrations.history("shop", "staging"));
    List<String> reasons = reasons(ledger, v2);
    assertEquals(1, reasons.stream().filter(x -> x.startsWith("api: rollout issued")).count());
    assertEquals(1, reasons.stream().filter(x -> x.startsWith("web: rollout issued")).count());
  }

  @Test
  void release_shouldEndAbortedWithBothPreviousRevisions_whenAbortedWhileWebIsVerified()
      throws Exception {
    // GIVEN v1 serving, and v2's run died while web was being verified (api already verified)
    Ledger ledger = newLedger();
    EngineHarness h = harness(ledger);
    h.imagePushed(push("v1", 1));
    Predicate<Deployment> webVerifying =
        d ->
            d.phase() == VERIFYING
                && d.parts().size() == 2
                && d.parts().get(1).state() == VERIFYING;
    EngineHarness dying = h.restartedOn(CrashingLedger.whenWritten(ledger, webVerifying));
    assertThrows(CrashingLedger.Crash.class, () -> dying.imagePushed(push("v2", 2)));
    EngineHarness restarted = h.restartedOn(ledger);
    Deployment stuck = restarted.latest("shop", "staging");
    assertEquals("v2", h.servingTag("web-staging"));

    // WHEN alice aborts it and reconcile honours the request
    FunctionResponse r =
        restarted.abort(stuck.id(), "alice", "checkout broken", EngineHarness.TOKEN);
    assertEquals(202, r.status(), r.body());
    h.clock.advance(Duration.ofMinutes(10));
    restarted.reconcile();

    // THEN it ended ABORTED with web, then api, restored
    Deployment v2 = restarted.latest("shop", "staging");
    assertEquals(ABORTED, v2.phase(), v2.detail());
    assertEquals("v1", h.servingTag("api-staging"));
    assertEquals("v1", h.servingTag("web-staging"));
    assertEquals(
        List.of("web-staging:web-staging-1", "api-staging:api-staging-1"), h.platform.restores());
    List<String> reasons = reasons(ledger, v2);
    int asked = indexOf(reasons, "aborted by alice (checkout broken); rolling back web, then api");
    int web = indexOf(reasons, "web: revision web-staging-1 restored");
    int api = indexOf(reasons, "api: revision api-staging-1 restored");
    assertTrue(asked < web && web < api, reasons.toString());
    assertTrue(
        v2.detail().startsWith("aborted by alice (checkout broken): restored web"), v2.detail());
    // AND an aborted release's digest stays deployable
    assertFalse(ledger.isKnownBad("shop", "staging", Deployments.digest(2)));
  }

  @Test
  void release_shouldCarryEachServicesImage_whenPromoted() throws Exception {
    // GIVEN v1 released in staging
    EngineHarness h = harness(newLedger());
    h.imagePushed(push("v1", 1));
    Deployment staged = h.latest("shop", "staging");

    // WHEN it is promoted to production
    FunctionResponse r =
        h.promote(
            "{\"app\":\"shop\",\"from\":\"staging\",\"to\":\"production\",\"digest\":\"%s\"}"
                .formatted(staged.image().digest()),
            EngineHarness.TOKEN);

    // THEN production released api then web at the same digest
    assertEquals(202, r.status(), r.body());
    Deployment prod = h.latest("shop", "production");
    assertEquals(SUCCEEDED, prod.phase(), prod.detail());
    assertEquals("v1", h.servingTag("api-production"));
    assertEquals("v1", h.servingTag("web-production"));
    assertEquals(Deployments.digest(1), part(prod, "web").image().digest());
  }
}
