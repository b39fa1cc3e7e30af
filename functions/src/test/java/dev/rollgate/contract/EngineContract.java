package dev.rollgate.contract;

import static dev.rollgate.core.model.Phase.FAILED;
import static dev.rollgate.core.model.Phase.MIGRATING;
import static dev.rollgate.core.model.Phase.PENDING;
import static dev.rollgate.core.model.Phase.REFUSED;
import static dev.rollgate.core.model.Phase.ROLLBACK_FAILED;
import static dev.rollgate.core.model.Phase.ROLLED_BACK;
import static dev.rollgate.core.model.Phase.ROLLING_BACK;
import static dev.rollgate.core.model.Phase.ROLLING_OUT;
import static dev.rollgate.core.model.Phase.SUCCEEDED;
import static dev.rollgate.core.model.Phase.SUPERSEDED;
import static dev.rollgate.core.model.Phase.VERIFYING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.testing.EngineHarness;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the engine guarantees, whatever ledger it runs on: the lifecycle, rollback, the known-bad
 * rule, idempotency. Every Ledger implementation runs this suite too.
 */
public abstract class EngineContract {

  protected abstract Ledger newLedger();

  protected EngineHarness h;

  @BeforeEach
  void harness() {
    h = new EngineHarness(newLedger());
  }

  protected static List<Phase> phases(Ledger ledger, Deployment d) {
    return ledger.transitions(d.id()).stream().map(Transition::to).toList();
  }

  @Test
  void push_shouldMigrateRollOutVerifyAndSucceed_whenHealthy() {
    // GIVEN a healthy v1 WHEN pushed
    FunctionResponse r = h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    // THEN staging went through every phase, recorded the schema, and v1 serves
    assertEquals(202, r.status(), r.body());
    Deployment d = h.latest("shop", "staging");
    assertEquals(SUCCEEDED, d.phase(), d.detail());
    assertEquals(
        List.of(PENDING, MIGRATING, ROLLING_OUT, VERIFYING, SUCCEEDED), phases(h.ledger, d));
    assertEquals("1", d.schemaVersion());
    assertFalse(d.active(), "the slot is free again");
    assertEquals("v1", h.platform.history("shop-staging").get(0).tag());
    assertEquals("push:plain", h.ledger.transitions(d.id()).get(0).actor());
    assertTrue(h.notifications.stream().anyMatch(n -> n.startsWith("SUCCEEDED")));
    // AND production deploys on promotion only
    assertTrue(h.deployments("shop", "production").isEmpty());
  }

  @Test
  void push_shouldDeployOnce_whenTheSameEventIsDeliveredAgain() {
    // GIVEN an event delivered WHEN it is delivered again
    String body = EngineHarness.push("shop", "v1", 1, "e1", null);
    h.imagePushed(body);
    FunctionResponse again = h.imagePushed(body);
    // THEN it is recognised as a duplicate and nothing new happens
    assertTrue(again.body().contains("\"duplicate\":true"), again.body());
    assertEquals(1, h.deployments("shop", "staging").size());
    assertEquals(1, h.platform.revisionsCreated("shop-staging"));
  }

  @Test
  void push_shouldFailAndRollBack_whenTheNewVersionIsUnhealthy() {
    // GIVEN v1 serving and a v2 whose health check fails
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    h.unhealthyTags.add("v2");
    // WHEN v2 is pushed
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    // THEN it FAILED, rolled back, and v1 serves again; the schema stays at v2 (expand/contract)
    Deployment d = h.latest("shop", "staging");
    assertEquals(ROLLED_BACK, d.phase(), d.detail());
    assertEquals(
        List.of(PENDING, MIGRATING, ROLLING_OUT, VERIFYING, FAILED, ROLLING_BACK, ROLLED_BACK),
        phases(h.ledger, d));
    String failure = h.ledger.transitions(d.id()).get(4).reason();
    assertTrue(failure.contains("3 consecutive unhealthy probes"), failure);
    assertEquals(
        List.of("v1", "v2", "v1"),
        h.platform.history("shop-staging").stream().map(i -> i.tag()).toList());
    assertEquals("2", d.schemaVersion());
    assertFalse(d.active());
  }

  @Test
  void push_shouldFailNeverSucceed_whenThePlatformNeverBecomesReady() {
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    h.platform.neverReady("v2");
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    Deployment d = h.latest("shop", "staging");
    assertFalse(phases(h.ledger, d).contains(SUCCEEDED));
    assertTrue(phases(h.ledger, d).contains(FAILED));
    assertEquals(ROLLED_BACK, d.phase());
    String failure = h.ledger.transitions(d.id()).get(4).reason();
    assertTrue(failure.startsWith("not healthy within 30000ms"), failure);
  }

  @Test
  void push_shouldFailNeverSucceed_whenThePlatformRevertsOnItsOwn() {
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    h.platform.revertsOnItsOwn("v2");
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    Deployment d = h.latest("shop", "staging");
    assertFalse(phases(h.ledger, d).contains(SUCCEEDED));
    assertTrue(phases(h.ledger, d).contains(FAILED));
    assertTrue(h.ledger.transitions(d.id()).get(4).reason().contains("no longer serves"));
    assertEquals("v1", h.servingTag("shop-staging"));
  }

  @Test
  void push_shouldFailWithoutTouchingTheService_whenTheMigrationFails() {
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    h.migrations.failFor("v2");
    int calls = h.platform.rollOutCalls();
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    Deployment d = h.latest("shop", "staging");
    assertEquals(FAILED, d.phase());
    assertEquals(List.of(PENDING, MIGRATING, FAILED), phases(h.ledger, d));
    assertTrue(d.detail().contains("syntax error at or near \"tabel\""), d.detail());
    assertEquals(calls, h.platform.rollOutCalls(), "the service was not touched");
    assertFalse(d.active(), "nothing to roll back: the slot is free");
    // AND the next release deploys normally
    h.imagePushed(EngineHarness.push("shop", "v3", 3, "e3", null));
    assertEquals(SUCCEEDED, h.latest("shop", "staging").phase());
  }

  @Test
  void push_shouldBeRefused_whenTheDigestFailedHereBefore() {
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    h.unhealthyTags.add("v2");
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    h.unhealthyTags.clear();
    // WHEN the same digest is pushed again, under a new event id
    FunctionResponse r = h.imagePushed(EngineHarness.push("shop", "v2", 2, "e3", null));
    // THEN it is refused as known-bad, and v1 keeps serving
    Deployment d = h.latest("shop", "staging");
    assertEquals(REFUSED, d.phase(), r.body());
    assertTrue(d.detail().startsWith("known-bad"), d.detail());
    assertEquals("v1", h.servingTag("shop-staging"));
  }

  @Test
  void push_shouldEndRollbackFailed_whenNothingServedBefore() {
    h.unhealthyTags.add("v1");
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    Deployment d = h.latest("shop", "staging");
    assertEquals(ROLLBACK_FAILED, d.phase());
    assertTrue(d.detail().contains("nothing served before"), d.detail());
  }

  @Test
  void push_shouldRetryAndSucceed_whenThePlatformThrottles() {
    h.platform.rollOutThrows("v1", true, 2);
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    assertEquals(SUCCEEDED, h.latest("shop", "staging").phase());
    assertEquals(3, h.platform.rollOutCalls());
    assertEquals(1, h.platform.revisionsCreated("shop-staging"));
  }

  @Test
  void push_shouldErrorAndRollBack_whenThePlatformRefusesTheRollout() {
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    h.platform.rollOutThrows("v2", false, 1);
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    Deployment d = h.latest("shop", "staging");
    assertEquals(ROLLED_BACK, d.phase());
    assertTrue(phases(h.ledger, d).contains(Phase.ERRORED));
    assertEquals("v1", h.servingTag("shop-staging"));
  }

  @Test
  void push_shouldBeIgnored_whenNoAppFollowsTheRepository() {
    FunctionResponse r =
        h.imagePushed(
            "{\"repository\":\"other/thing\",\"tag\":\"v1\",\"digest\":\""
                + dev.rollgate.testing.Deployments.digest(1)
                + "\"}");
    assertEquals(200, r.status());
    assertTrue(r.body().contains("no app in rollgate.yaml follows other/thing"), r.body());
  }

  @Test
  void push_shouldBeRejectedWithTheField_whenMalformed() {
    assertEquals(400, h.imagePushed("{\"tag\":\"v1\"}").status());
    FunctionResponse r =
        h.imagePushed("{\"repository\":\"registry.test/team/shop\",\"tag\":\"v1\"}");
    assertEquals(400, r.status());
    assertTrue(r.body().contains("$.digest: missing"), r.body());
    assertTrue(h.imagePushed("not json").body().contains("malformed JSON"));
  }

  @Test
  void push_shouldNotWedgeLaterPushes_whenAnEventCarriesAFarFutureTime() {
    // GIVEN a push whose time is far ahead of rollgate's clock (a signed body can carry any time)
    java.time.Instant received = h.clock.now();
    FunctionResponse future =
        h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", "2999-01-01T00:00:00Z"));
    assertEquals(202, future.status(), future.body());
    Deployment first = h.latest("shop", "staging");
    // THEN it is ordered by when it was received, and the ledger says why
    assertEquals(received, first.pushedAt());
    assertTrue(h.ledger.transitions(first.id()).get(0).reason().contains("ahead of"), summary());
    // WHEN a normal push follows
    FunctionResponse normal = h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    // THEN it deploys: one event never locks out the later ones
    assertEquals(202, normal.status(), normal.body());
    Deployment second = h.latest("shop", "staging");
    assertEquals("v2", second.image().tag(), summary());
    assertEquals(SUCCEEDED, second.phase(), summary());
    assertEquals("v2", h.servingTag("shop-staging"));
  }

  @Test
  void push_shouldAnswer400AndRecordNothing_whenTheTimeIsBeyondWhatTheLedgerStores() {
    // GIVEN times PostgreSQL's timestamptz cannot hold WHEN pushed
    for (String time : List.of("+300000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z")) {
      FunctionResponse r = h.imagePushed(EngineHarness.push("shop", "v1", 1, "e-" + time, time));
      // THEN a 400 naming the field, and nothing recorded
      assertEquals(400, r.status(), r.body());
      assertTrue(r.body().contains("$.time"), r.body());
    }
    assertTrue(h.deployments("shop", "staging").isEmpty());
  }

  @Test
  void push_shouldBeErroredButNotKnownBad_whenTheConfigurationIsAtFault() {
    // GIVEN v1 serving, and v2 meeting a configuration error (a secret that is not set)
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    h.migrations.misconfiguredFor("v2");
    // WHEN v2 is pushed
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
    // THEN it is ERRORED for the configuration, the service untouched, and v2 is not known-bad
    Deployment d = h.latest("shop", "staging");
    assertEquals(Phase.ERRORED, d.phase(), d.detail());
    assertTrue(d.configurationFault(), d.detail());
    assertTrue(d.detail().startsWith("configuration error"), d.detail());
    assertFalse(h.ledger.isKnownBad("shop", "staging", d.image().digest()));
    assertEquals("v1", h.servingTag("shop-staging"));
    // WHEN the configuration is fixed and v2 pushed again THEN it deploys
    h.migrations.fixConfiguration();
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e3", null));
    assertEquals(SUCCEEDED, h.latest("shop", "staging").phase(), summary());
  }

  @Test
  void push_shouldBeRefusedUpFrontAndNotPoison_whenMigrationsNeedATagThePushLacks() {
    // GIVEN staging's migrations use {tag}
    h =
        new EngineHarness(
            newLedger(),
            EngineHarness.manifest(1).replace("filesystem:db", "filesystem:{tag}"),
            null);
    // WHEN a digest is pushed without a tag
    FunctionResponse r =
        h.imagePushed(
            "{\"repository\":\"registry.test/team/shop\",\"digest\":\""
                + dev.rollgate.testing.Deployments.digest(1)
                + "\"}");
    // THEN it is refused at planning, saying why, and nothing ran
    Deployment d = h.latest("shop", "staging");
    assertEquals(REFUSED, d.phase(), r.body());
    assertTrue(d.detail().contains("migrations.flyway.locations uses {tag}"), d.detail());
    assertEquals(0, h.platform.rollOutCalls());
    // AND the same digest pushed with its tag deploys
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e2", null));
    assertEquals(SUCCEEDED, h.latest("shop", "staging").phase(), summary());
  }

  private String summary() {
    return summary("shop", "staging");
  }

  /** The phases of every deployment of an app+environment, for failure messages. */
  protected String summary(String app, String env) {
    return h.deployments(app, env).stream()
        .map(d -> d.image().tag() + "=" + d.phase())
        .collect(Collectors.joining(", "));
  }

  protected static boolean endedWell(Deployment d) {
    return d.phase() == SUCCEEDED || d.phase() == SUPERSEDED;
  }
}
