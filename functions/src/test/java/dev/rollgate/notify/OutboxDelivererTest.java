package dev.rollgate.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.manifest.NotificationsSpec;
import dev.rollgate.core.notify.NotificationEvent;
import dev.rollgate.core.port.NotificationOutbox;
import dev.rollgate.events.auth.Provider;
import dev.rollgate.events.auth.SenderVerifier;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.EngineHarness;
import dev.rollgate.testing.InMemoryLedger;
import dev.rollgate.testing.InMemoryNotificationOutbox;
import dev.rollgate.testing.WebhookReceiver;
import dev.rollgate.testing.WebhookReceiver.Request;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxDelivererTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SLACK_TOKEN = "T0001/B0002/slackTOKENxyz";
  private static final String DISCORD_TOKEN = "12345/discordTOKENabc";
  private static final String TEAMS_TOKEN = "workflows/teamsSIGxyz";
  private static final String HOOK_TOKEN = "hookPATHtoken";
  private static final String HOOK_SECRET = "hmac-s3cret-value";

  private WebhookReceiver receiver;
  private EngineHarness h;
  private InMemoryNotificationOutbox outbox;
  private Map<String, String> env;

  @BeforeEach
  void start() throws Exception {
    receiver = new WebhookReceiver();
    h = new EngineHarness(new InMemoryLedger());
    outbox = new InMemoryNotificationOutbox();
    env =
        Map.of(
            "SLACK_URL", receiver.url("/slack/" + SLACK_TOKEN),
            "DISCORD_URL", receiver.url("/discord/" + DISCORD_TOKEN),
            "TEAMS_URL", receiver.url("/teams/" + TEAMS_TOKEN),
            "HOOK_URL", receiver.url("/hook/" + HOOK_TOKEN),
            "HOOK_SECRET", HOOK_SECRET);
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private static NotificationsSpec spec(String routes) {
    String yaml =
        EngineHarness.manifest(1)
            + """
            notifications:
              statusPage: https://rollgate.example.com/
              channels:
                slack: { type: slack, url: env:SLACK_URL }
                discord: { type: discord, url: env:DISCORD_URL }
                teams: { type: teams, url: env:TEAMS_URL }
                hook: { type: webhook, url: env:HOOK_URL, secret: env:HOOK_SECRET }
              routes:
            """
            + routes;
    return ManifestLoader.parse(yaml, "rollgate.yaml", Path.of("/tmp")).notifications();
  }

  private static final String ALL =
      """
          - channel: slack
          - channel: discord
            environments: [staging]
          - channel: teams
            apps: [shop]
          - channel: hook
      """;

  private OutboxDeliverer deliverer(NotificationsSpec spec, NotificationOutbox box) {
    return new OutboxDeliverer(
        h.ledger, box, spec, new EnvSecretResolver(env::get), h.clock, Duration.ofSeconds(5));
  }

  private List<Request> at(String prefix) {
    return receiver.requests().stream().filter(r -> r.path().startsWith(prefix)).toList();
  }

  private static JsonNode json(Request r) throws Exception {
    return JSON.readTree(r.body());
  }

  private void failAndRollBack() {
    h.imagePushed(EngineHarness.push("shop", "v1", 1, "e1", null));
    h.unhealthyTags.add("v2");
    h.imagePushed(EngineHarness.push("shop", "v2", 2, "e2", null));
  }

  @Test
  void deliver_shouldPostStartedFailedRolledBackInOrder_whenADeploymentFailsAndRollsBack()
      throws Exception {
    // GIVEN v1 deployed and v2 failed its health checks and was rolled back by the real engine
    failAndRollBack();
    // WHEN the outbox is delivered
    deliverer(spec(ALL), outbox).deliver();
    // THEN the webhook heard v1 start and succeed, then v2 start, fail and roll back, in order
    List<String> events = new ArrayList<>();
    for (Request r : at("/hook/")) {
      JsonNode n = json(r);
      events.add(n.get("tag").asText() + " " + n.get("event").asText());
    }
    assertEquals(
        List.of(
            "v1 deployment.started",
            "v1 deployment.succeeded",
            "v2 deployment.started",
            "v2 deployment.failed",
            "v2 deployment.rolled-back"),
        events);
    // AND the rolled-back message says why it failed, with version, duration and status link
    JsonNode rolledBack = json(at("/hook/").get(4));
    assertTrue(
        rolledBack.get("reason").asText().contains("consecutive unhealthy probes"),
        rolledBack.toString());
    assertTrue(rolledBack.get("title").asText().contains("v2 @ sha256:"), rolledBack.toString());
    assertTrue(rolledBack.get("tookSeconds").asLong() > 0, rolledBack.toString());
    assertEquals("https://rollgate.example.com/status", rolledBack.get("statusUrl").asText());
    assertTrue(outbox.undelivered(100).isEmpty());
  }

  @Test
  void deliver_shouldSendPayloadsValidForEachService_whenEveryChannelIsRouted() throws Exception {
    // GIVEN a failed and rolled-back deployment routed to all four channels
    failAndRollBack();
    // WHEN delivered
    deliverer(spec(ALL), outbox).deliver();
    // THEN each service got five messages, each valid for its documented schema
    assertEquals(5, at("/slack/").size());
    assertEquals(5, at("/discord/").size());
    assertEquals(5, at("/teams/").size());
    for (Request r : at("/slack/")) {
      assertEquals(List.of(), PayloadSchemas.slack(json(r)), r.text());
    }
    for (Request r : at("/discord/")) {
      assertEquals(List.of(), PayloadSchemas.discord(json(r)), r.text());
    }
    for (Request r : at("/teams/")) {
      assertEquals(List.of(), PayloadSchemas.adaptiveCard14(json(r)), r.text());
    }
    String failed = at("/slack/").get(3).text();
    assertTrue(failed.contains("consecutive unhealthy probes"), failed);
  }

  @Test
  void deliver_shouldNeverPutASecretInABody_whenChannelsUseSecretReferences() {
    // GIVEN channels whose URLs and signing secret are secret references
    failAndRollBack();
    OutboxDeliverer d = deliverer(spec(ALL), outbox);
    d.enqueue("shop", "staging", NotificationEvent.BACKUP_FAILED, "backup failed: disk full");
    // WHEN delivered, including one answer that fails
    receiver.answer(500, Map.of());
    d.deliver();
    // THEN no resolved value appears in any body sent or anything stored
    List<String> texts = new ArrayList<>(outbox.storedText());
    receiver.requests().forEach(r -> texts.add(r.text()));
    assertEquals(24, receiver.requests().size());
    for (String secret :
        List.of(SLACK_TOKEN, DISCORD_TOKEN, TEAMS_TOKEN, HOOK_TOKEN, HOOK_SECRET)) {
      for (String t : texts) {
        assertFalse(t.contains(secret), "secret in " + t);
      }
    }
  }

  @Test
  void deliver_shouldSignTheWebhook_soThatRollgatesOwnVerifierAcceptsIt() {
    // GIVEN a signed webhook channel
    failAndRollBack();
    // WHEN delivered
    deliverer(spec("    - channel: hook\n"), outbox).deliver();
    // THEN every request verifies as rollgate's "hmac" sender, and carries its idempotency key
    assertEquals(5, receiver.requests().size());
    for (Request r : receiver.requests()) {
      var v =
          new SenderVerifier()
              .verify(Provider.HMAC, HOOK_SECRET, r.body(), r.headers(), h.clock.now());
      assertTrue(v.ok(), v.reason());
      assertTrue(r.header("Idempotency-Key").startsWith("transition-"), r.headers().toString());
    }
    var forged =
        new SenderVerifier()
            .verify(
                Provider.HMAC,
                "another-secret",
                receiver.requests().get(0).body(),
                receiver.requests().get(0).headers(),
                h.clock.now());
    assertFalse(forged.ok());
  }

  @Test
  void deliver_shouldWaitWhatRetryAfterAsks_whenTheReceiverAnswers429() {
    // GIVEN a receiver that answers 429 with Retry-After: 120
    receiver.answer(429, Map.of("Retry-After", "120"));
    OutboxDeliverer d = deliverer(spec("    - channel: hook\n"), outbox);
    d.enqueue("shop", "staging", NotificationEvent.RPO_EXCEEDED, "rpo");
    d.deliver();
    assertEquals(1, receiver.requests().size());
    // WHEN the backoff alone (10 s) has passed, but not the 120 s asked for
    h.clock.advance(Duration.ofSeconds(60));
    d.deliver();
    // THEN nothing is sent yet
    assertEquals(1, receiver.requests().size());
    // AND once 120 s have passed it is sent again, with the same key, and delivered
    h.clock.advance(Duration.ofSeconds(61));
    d.deliver();
    assertEquals(2, receiver.requests().size());
    assertEquals(
        receiver.requests().get(0).header("Idempotency-Key"),
        receiver.requests().get(1).header("Idempotency-Key"));
    assertTrue(outbox.undelivered(10).isEmpty());
  }

  @Test
  void deliver_shouldBackOffAndGiveUp_whenTheReceiverKeepsFailing() {
    // GIVEN a receiver that answers 503 every time
    for (int i = 0; i < OutboxDeliverer.MAX_ATTEMPTS; i++) {
      receiver.answer(503, Map.of());
    }
    OutboxDeliverer d = deliverer(spec("    - channel: slack\n"), outbox);
    d.enqueue("shop", "staging", NotificationEvent.BACKUP_FAILED, "failed");
    // WHEN delivered, the clock moving by each backoff
    d.deliver();
    for (int attempt = 1; attempt < OutboxDeliverer.MAX_ATTEMPTS; attempt++) {
      h.clock.advance(OutboxDeliverer.backoff(attempt).minusSeconds(1));
      d.deliver();
      assertEquals(attempt, receiver.requests().size(), "sent before its backoff passed");
      h.clock.advance(Duration.ofSeconds(1));
      d.deliver();
    }
    // THEN it tried MAX_ATTEMPTS times, then gave up
    assertEquals(OutboxDeliverer.MAX_ATTEMPTS, receiver.requests().size());
    assertTrue(outbox.undelivered(10).isEmpty());
    h.clock.advance(Duration.ofHours(2));
    d.deliver();
    assertEquals(OutboxDeliverer.MAX_ATTEMPTS, receiver.requests().size());
  }

  @Test
  void deliver_shouldGiveUpAtOnce_whenTheReceiverRefuses() {
    receiver.answer(404, Map.of());
    OutboxDeliverer d = deliverer(spec("    - channel: discord\n"), outbox);
    d.enqueue("shop", "staging", NotificationEvent.BACKUP_FAILED, "failed");
    d.deliver();
    h.clock.advance(Duration.ofHours(2));
    d.deliver();
    assertEquals(1, receiver.requests().size());
  }

  /** An outbox whose first "delivered" mark fails, as if the ledger went away right then. */
  private static final class FailingMark implements NotificationOutbox {
    private final NotificationOutbox delegate;
    private boolean failed;

    FailingMark(NotificationOutbox delegate) {
      this.delegate = delegate;
    }

    @Override
    public long cursor() {
      return delegate.cursor();
    }

    @Override
    public boolean enqueue(List<Message> messages, long expected, long to) {
      return delegate.enqueue(messages, expected, to);
    }

    @Override
    public void enqueue(List<Message> messages) {
      delegate.enqueue(messages);
    }

    @Override
    public List<Message> claim(Instant now, Instant until, int limit) {
      return delegate.claim(now, until, limit);
    }

    @Override
    public void delivered(long id, Instant at) {
      if (!failed) {
        failed = true;
        throw new IllegalStateException("simulated crash: the ledger went away");
      }
      delegate.delivered(id, at);
    }

    @Override
    public void retry(long id, Instant due, String error) {
      delegate.retry(id, due, error);
    }

    @Override
    public void giveUp(long id, Instant at, String error) {
      delegate.giveUp(id, at, error);
    }

    @Override
    public List<Message> undelivered(int limit) {
      return delegate.undelivered(limit);
    }
  }

  @Test
  void deliver_shouldNotSendTwice_whenRecordingFailedAfterTheReceiverAnswered() {
    // GIVEN a receiver that answers 200, and a ledger that fails to record that
    OutboxDeliverer d = deliverer(spec("    - channel: slack\n"), new FailingMark(outbox));
    d.enqueue("shop", "staging", NotificationEvent.BACKUP_FAILED, "failed");
    d.deliver();
    assertEquals(1, receiver.requests().size());
    assertEquals(1, outbox.undelivered(10).size());
    // WHEN the claim expires and delivery runs again
    h.clock.advance(OutboxDeliverer.CLAIM.plusSeconds(1));
    d.deliver();
    // THEN it is recorded as delivered, and the receiver heard it once
    assertEquals(1, receiver.requests().size());
    assertTrue(outbox.undelivered(10).isEmpty());
  }

  @Test
  void deliver_shouldResendWithTheSameKey_whenTheProcessDiedAfterTheReceiverAnswered() {
    // GIVEN a process that died after the receiver's 2xx, before recording it
    deliverer(spec("    - channel: hook\n"), new FailingMark(outbox))
        .enqueue("shop", "staging", NotificationEvent.BACKUP_FAILED, "failed");
    deliverer(spec("    - channel: hook\n"), new FailingMark(outbox)).deliver();
    // WHEN a new process delivers after the claim expired
    h.clock.advance(OutboxDeliverer.CLAIM.plusSeconds(1));
    deliverer(spec("    - channel: hook\n"), outbox).deliver();
    // THEN it sends again (at least once), with the same idempotency key and body id, so that a
    // receiver that honours the key drops it (ADR 0019: chat services do not)
    List<Request> got = receiver.requests();
    assertEquals(2, got.size());
    assertEquals(got.get(0).header("Idempotency-Key"), got.get(1).header("Idempotency-Key"));
    assertEquals(got.get(0).text(), got.get(1).text());
    assertTrue(outbox.undelivered(10).isEmpty());
  }

  @Test
  void deliver_shouldPassOverOldTransitions_whenChannelsAreAddedLongAfter() {
    // GIVEN deployments recorded two hours before the first delivery pass
    failAndRollBack();
    h.clock.advance(OutboxDeliverer.STALE.plusHours(1));
    // WHEN delivered
    deliverer(spec("    - channel: hook\n"), outbox).deliver();
    // THEN the past is not announced, and later transitions would be
    assertTrue(receiver.requests().isEmpty());
    assertTrue(outbox.cursor() > 0);
  }

  @Test
  void enqueue_shouldFollowTheRoutes_whenEventsAndEnvironmentsAreFiltered() {
    // GIVEN slack for failures in production only, the webhook for everything
    NotificationsSpec s =
        spec(
            """
                - channel: slack
                  environments: [production]
                  events: [deployment.failed, backup.failed]
                - channel: hook
            """);
    OutboxDeliverer d = deliverer(s, outbox);
    // WHEN a staging backup fails and a production one too
    d.enqueue("shop", "staging", NotificationEvent.BACKUP_FAILED, "a");
    d.enqueue("shop", "production", NotificationEvent.BACKUP_FAILED, "b");
    d.enqueue("shop", "production", NotificationEvent.BACKUP_VERIFIED, "c");
    d.deliver();
    // THEN slack heard only production's failure; the webhook heard all three
    assertEquals(1, at("/slack/").size());
    assertEquals(3, at("/hook/").size());
  }
}
