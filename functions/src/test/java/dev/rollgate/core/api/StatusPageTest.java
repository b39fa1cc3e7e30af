package dev.rollgate.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusPageTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void render_shouldEscapeEveryValueAndLoadNothing_whenValuesHoldMarkup() throws Exception {
    String html =
        StatusPage.render(
            JSON.readTree(
                """
                {"environments":[{"app":"shop","environment":"<b>prod</b>","deploy":"on-push",
                  "target":"local:shop","serving":null,"inFlight":[],
                  "recent":[{"phase":"FAILED","tag":"v\\"3","digest":"sha256:abc",
                    "updatedAt":"2026-12-04T10:00:00Z","detail":"<script>alert('x')</script> & co"}]}],
                 "ledger":{"chain":"intact","transitions":3}}
                """));
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"), html);
    assertTrue(html.contains("shop/&lt;b&gt;prod&lt;/b&gt;"), html);
    assertTrue(html.contains("v&quot;3"), html);
    assertFalse(html.contains("<script"), html);
    assertFalse(html.contains("http-equiv=\"refresh\""), "nothing in flight: " + html);
    assertFalse(html.matches("(?s).*(src|href)=.*"), "loads nothing: " + html);
    assertTrue(html.contains("2026-12-04 10:00:00 UTC"), html);
  }

  @Test
  void render_shouldReloadItself_whenSomethingIsInFlight() throws Exception {
    String html =
        StatusPage.render(
            JSON.readTree(
                """
                {"environments":[{"app":"shop","environment":"staging","inFlight":[
                  {"phase":"VERIFYING","tag":"v2","digest":"sha256:%s"}],"recent":[]}],
                 "ledger":{"chain":"intact","transitions":1}}
                """
                    .formatted("f".repeat(64))));
    assertTrue(html.contains("<meta http-equiv=\"refresh\" content=\"5\">"), html);
    assertTrue(html.contains("sha256:ffffffffffff<"), html);
    assertTrue(html.contains("VERIFYING"), html);
  }

  @Test
  void render_shouldShowTheCanarysStepShareAndAnalysis_whenACanaryIsInFlight() throws Exception {
    String html =
        StatusPage.render(
            JSON.readTree(
                """
                {"environments":[{"app":"shop","environment":"production","inFlight":[
                  {"phase":"VERIFYING","tag":"v2","digest":"sha256:abc",
                   "canary":{"state":"ANALYSING","step":1,"steps":3,"share":10,
                     "probes":12,"unhealthy":1,"p95Ms":42}}],"recent":[]}],
                 "ledger":{"chain":"intact","transitions":1}}
                """));
    assertTrue(html.contains("step 1 of 3 · analysing"), html);
    assertTrue(html.contains("10 % of traffic</span>"), html);
    assertTrue(html.contains("<rect width=\"10\" height=\"8\""), html);
    assertTrue(html.contains("11/12 probes healthy, p95 42 ms"), html);
    assertTrue(html.contains("<meta http-equiv=\"refresh\""), html);
  }

  @Test
  void render_shouldShowTheDoraFiguresAndMissedTargets_whenStatusHasThem() throws Exception {
    String html =
        StatusPage.render(
            JSON.readTree(
                """
                {"environments":[{"app":"shop","environment":"prod","inFlight":[],"recent":[],
                  "dora":{"since":"2026-11-04T10:00:00Z","deployments":4,"succeeded":3,"failed":1,
                    "deploymentsPerDay":0.13,"changeFailureRate":0.25,"leadTimeMedianSeconds":2404,
                    "restores":1,"timeToRestoreMedianSeconds":303,"failingSince":null,
                    "targets":{"missed":[{"target":"changeFailureRate","message":"change failure rate 25 % > 10 %"}]}}}],
                 "ledger":{"chain":"intact","transitions":9}}
                """));
    assertTrue(html.contains("4 (0.13 a day)"), html);
    assertTrue(html.contains("40 min 4 s"), html);
    assertTrue(html.contains("25.0 %"), html);
    assertTrue(html.contains("5 min 3 s"), html);
    assertTrue(html.contains("aria-label=\"3 succeeded, 1 failed\""), html);
    assertTrue(html.contains("target missed: change failure rate 25 % &gt; 10 %"), html);
  }

  @Test
  void wanted_shouldPreferWhatTheClientListsFirst() {
    assertTrue(StatusPage.wanted("text/html,application/xhtml+xml,*/*;q=0.8"));
    assertFalse(StatusPage.wanted("application/json, text/html"));
    assertFalse(StatusPage.wanted("*/*"));
    assertFalse(StatusPage.wanted(null));
    assertEquals("sha256:0123456789ab", StatusPage.shortDigest("sha256:0123456789abcdef"));
  }
}
