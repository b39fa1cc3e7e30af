package dev.rollgate.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.DoraFigures;
import dev.rollgate.testing.Deployments;
import dev.rollgate.testing.EngineHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The part of {@link LedgerContract} about DORA figures (docs/dora.md): a ledger written by the
 * real engine (in-memory platform, scripted probes, fake clock) with known outcomes and times, and
 * every figure checked; run it through {@link LedgerContract}.
 *
 * <p>The harness's health settings make times exact: three healthy probes one second apart take 2
 * s, so a healthy rollout SUCCEEDS 2 s after its push, a failing one FAILS after 2 s and its
 * rollback ends 2 s later.
 */
public abstract class LedgerDoraContract extends LedgerChainContract {

  private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

  private static Instant at(String time) {
    return Instant.parse("2026-11-22T" + time + "Z");
  }

  /**
   * The history every DORA test reads (times are 2026-11-22, UTC):
   *
   * <pre>
   * staging                                                production
   * 10:00:00 v1 pushed, SUCCEEDED 10:00:02                 10:30:02 v1 promoted, SUCCEEDED 10:30:04
   * 11:00:04 v2 pushed, FAILED 11:00:06, ROLLED_BACK 11:00:08
   * 12:00:08 v3 pushed, migration FAILED 12:00:08 (service untouched)
   * 13:00:08 v4 pushed, FAILED 13:00:10, ROLLBACK_FAILED 13:00:12 (v1 is unhealthy too)
   * 13:10:12 v5 pushed, SUCCEEDED 13:10:14
   * 13:10:14 v2 pushed again: REFUSED (known bad)
   * 13:10:14 v6 pushed: ERRORED, a configuration fault       14:00:14 v5 promoted, SUCCEEDED 14:00:16
   * </pre>
   */
  private EngineHarness history() {
    EngineHarness h = new EngineHarness(ledger);
    assertEquals(T, h.clock.now());
    push(h, "v1", 1, "e1");
    h.clock.advance(Duration.ofMinutes(30));
    promote(h, 1);
    h.clock.advance(Duration.ofMinutes(30));
    h.unhealthyTags.add("v2");
    push(h, "v2", 2, "e2");
    h.clock.advance(Duration.ofHours(1));
    h.migrations.failFor("v3");
    push(h, "v3", 3, "e3");
    h.clock.advance(Duration.ofHours(1));
    h.unhealthyTags.add("v4");
    h.unhealthyTags.add("shop-staging:v1");
    push(h, "v4", 4, "e4");
    h.clock.advance(Duration.ofMinutes(10));
    h.unhealthyTags.clear();
    push(h, "v5", 5, "e5");
    push(h, "v2", 2, "e6");
    h.migrations.misconfiguredFor("v6");
    push(h, "v6", 6, "e7");
    h.clock.advance(Duration.ofMinutes(50));
    promote(h, 5);
    assertEquals(at("14:00:16"), h.clock.now(), timeline(h));
    assertEquals(
        "v6=ERRORED, v2=REFUSED, v5=SUCCEEDED, v4=ROLLBACK_FAILED, v3=FAILED, v2=ROLLED_BACK,"
            + " v1=SUCCEEDED",
        outcomes(h, "staging"),
        timeline(h));
    assertEquals("v5=SUCCEEDED, v1=SUCCEEDED", outcomes(h, "production"), timeline(h));
    return h;
  }

  @Test
  void dora_shouldCountEveryFigure_whenDeploymentsSucceedFailAndRestoreOverADay() {
    // GIVEN the history above, WHEN the figures of the day up to 14:00:17 are asked for
    EngineHarness h = history();
    Instant until = at("14:00:17");
    Instant since = until.minus(Duration.ofDays(1));
    DoraFigures staging = ledger.dora("shop", "staging", since, until);
    DoraFigures production = ledger.dora("shop", "production", since, until);

    // THEN staging counts v1..v5 (not the refused push nor the configuration fault)
    String why = staging + "\n" + timeline(h);
    assertEquals(5, staging.deployments(), why);
    assertEquals(2, staging.succeeded(), why);
    assertEquals(3, staging.failed(), why);
    assertEquals(2.0, staging.deploymentsPerDay(), 1e-9, why);
    assertEquals(0.6, staging.changeFailureRate(), 1e-9, why);
    // lead times 2 s (v1) and 2 s (v5)
    assertEquals(Duration.ofSeconds(2), staging.leadTimeMedian(), why);
    // incidents: v2 11:00:06-11:00:08 (2 s), v4 13:00:10 until v5 served at 13:10:14 (10m04s);
    // v3's migration failure never touched the service
    assertEquals(2, staging.restores(), why);
    assertEquals(Duration.ofSeconds((2 + 604) / 2), staging.timeToRestoreMedian(), why);
    assertNull(staging.failingSince(), why);
    // no push said when its commit was made
    assertNull(staging.leadTimeFromCommitMedian(), why);
    assertEquals(since, staging.since());
    assertEquals(until, staging.until());

    // AND production's lead time runs from the push's receipt in staging: v1 10:00:00 to
    // 10:30:04 (30m04s), v5 13:10:12 to 14:00:16 (50m04s), median 40m04s
    why = production + "\n" + timeline(h);
    assertEquals(2, production.deployments(), why);
    assertEquals(2, production.succeeded(), why);
    assertEquals(0, production.failed(), why);
    assertEquals(2.0, production.deploymentsPerDay(), 1e-9, why);
    assertEquals(0.0, production.changeFailureRate(), 1e-9, why);
    assertEquals(Duration.parse("PT40M4S"), production.leadTimeMedian(), why);
    assertEquals(0, production.restores(), why);
    assertNull(production.timeToRestoreMedian(), why);
    assertNull(production.failingSince(), why);
  }

  @Test
  void dora_shouldCountOnlyWhatBeganInTheWindow_whenTheWindowCutsThroughIncidents() {
    EngineHarness h = history();
    // WHEN the window starts between v2's failure and its rollback, and ends during v4's incident
    DoraFigures cut = ledger.dora("shop", "staging", at("11:00:07"), at("13:05:00"));
    // THEN v2 is not counted (its outcome came first), v3 and v4 are, and the incident that is
    // still open says since when
    String why = cut + "\n" + timeline(h);
    assertEquals(2, cut.deployments(), why);
    assertEquals(0, cut.succeeded(), why);
    assertEquals(2, cut.failed(), why);
    assertEquals(1.0, cut.changeFailureRate(), 1e-9, why);
    assertNull(cut.leadTimeMedian(), why);
    assertEquals(0, cut.restores(), why);
    assertNull(cut.timeToRestoreMedian(), why);
    assertEquals(at("13:00:10"), cut.failingSince(), why);
    // WHEN the window holds only v4's restore and the pushes after it
    DoraFigures after = ledger.dora("shop", "staging", at("13:05:00"), at("13:20:00"));
    // THEN v5 counts; its incident began before the window, so no time to restore is reported
    why = after + "\n" + timeline(h);
    assertEquals(1, after.deployments(), why);
    assertEquals(1, after.succeeded(), why);
    assertEquals(0, after.failed(), why);
    assertEquals(96.0, after.deploymentsPerDay(), 1e-9, why);
    assertEquals(Duration.ofSeconds(2), after.leadTimeMedian(), why);
    assertEquals(0, after.restores(), why);
    assertNull(after.failingSince(), why);
  }

  @Test
  void dora_shouldMeasureLeadTimeFromTheCommit_whenPushesSayWhenTheirCommitWasMade() {
    // GIVEN (2026-11-22, UTC) v1 committed 09:00:00, pushed 10:00:00, SUCCEEDED 10:00:02;
    // promoted to production at 10:30:02, SUCCEEDED 10:30:04; v2 pushed at 11:00:04 without a
    // commit time, SUCCEEDED 11:00:06; v3 committed 11:00:00, pushed 11:10:06, SUCCEEDED 11:10:08;
    // v4 pushed at 11:10:08 claiming a commit at 12:00:00, after its own push, SUCCEEDED 11:10:10
    EngineHarness h = new EngineHarness(ledger);
    pushCommitted(h, "v1", 1, "c1", "2026-11-22T09:00:00Z");
    h.clock.advance(Duration.ofMinutes(30));
    promote(h, 1);
    h.clock.advance(Duration.ofMinutes(30));
    push(h, "v2", 2, "c2");
    h.clock.advance(Duration.ofMinutes(10));
    pushCommitted(h, "v3", 3, "c3", "2026-11-22T11:00:00Z");
    pushCommitted(h, "v4", 4, "c4", "2026-11-22T12:00:00Z");
    assertEquals(at("11:10:10"), h.clock.now(), timeline(h));
    // WHEN the day's figures are asked for
    Instant until = at("11:10:11");
    DoraFigures staging = ledger.dora("shop", "staging", until.minus(Duration.ofDays(1)), until);
    DoraFigures production =
        ledger.dora("shop", "production", until.minus(Duration.ofDays(1)), until);
    // THEN staging's lead time from the commit is the median of v1's 1h00m02s and v3's 10m08s
    // (v2 said nothing, v4's commit time is later than its push): (3602 + 608) / 2 = 2105 s
    String why = staging + "\n" + timeline(h);
    assertEquals(4, staging.succeeded(), why);
    assertEquals(Duration.ofSeconds(2105), staging.leadTimeFromCommitMedian(), why);
    // ... while the lead time from the push's receipt is unchanged: 2 s each
    assertEquals(Duration.ofSeconds(2), staging.leadTimeMedian(), why);
    // AND production's runs from v1's commit too: 09:00:00 to 10:30:04
    why = production + "\n" + timeline(h);
    assertEquals(Duration.parse("PT1H30M4S"), production.leadTimeFromCommitMedian(), why);
    assertEquals(Duration.parse("PT30M4S"), production.leadTimeMedian(), why);
  }

  private static void pushCommitted(
      EngineHarness h, String tag, int digest, String event, String committed) {
    String body = EngineHarness.push("shop", tag, digest, event, null);
    body = body.substring(0, body.length() - 1) + ",\"commitTime\":\"" + committed + "\"}";
    FunctionResponse r = h.imagePushed(body);
    assertEquals(202, r.status(), r.body());
  }

  @Test
  void dora_shouldBeEmpty_whenNothingWasDeployed() {
    // GIVEN an empty ledger WHEN asked THEN zeros, and no rate or median to report
    DoraFigures f = ledger.dora("shop", "staging", T, T.plus(Duration.ofDays(30)));
    assertEquals(0, f.deployments());
    assertEquals(0.0, f.deploymentsPerDay());
    assertNull(f.changeFailureRate());
    assertNull(f.leadTimeMedian());
    assertNull(f.timeToRestoreMedian());
    assertNull(f.failingSince());
    // AND a window that ends before it starts is refused
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ledger.dora("shop", "staging", T, T));
    assertEquals(
        "ledger dora: the window must start before it ends, got " + T + " to " + T, e.getMessage());
  }

  private static void push(EngineHarness h, String tag, int digest, String event) {
    FunctionResponse r = h.imagePushed(EngineHarness.push("shop", tag, digest, event, null));
    assertEquals(202, r.status(), r.body());
  }

  private static void promote(EngineHarness h, int digest) {
    String body =
        "{\"app\":\"shop\",\"from\":\"staging\",\"to\":\"production\",\"digest\":\"%s\"}"
            .formatted(Deployments.digest(digest));
    FunctionResponse r = h.promote(body, EngineHarness.TOKEN);
    assertEquals(202, r.status(), r.body());
  }

  private static String outcomes(EngineHarness h, String env) {
    return h.deployments("shop", env).stream()
        .map(d -> d.image().tag() + "=" + d.phase())
        .collect(Collectors.joining(", "));
  }

  /** Every transition, for failure messages. */
  private String timeline(EngineHarness h) {
    return ledger.timeline(0, 1000).stream()
        .map(
            t ->
                t.at()
                    + " "
                    + t.environment()
                    + " "
                    + h.ledger.find(t.deploymentId()).map(Deployment::image).orElseThrow().tag()
                    + " "
                    + t.from()
                    + "->"
                    + t.to())
        .collect(Collectors.joining("\n"));
  }
}
