package dev.rollgate.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.port.NotificationOutbox;
import dev.rollgate.core.port.NotificationOutbox.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link NotificationOutbox} must do; implementations extend this. */
public abstract class NotificationOutboxContract {

  protected static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  protected NotificationOutbox outbox;

  protected abstract NotificationOutbox newOutbox();

  @BeforeEach
  void open() {
    outbox = newOutbox();
  }

  protected static Message message(String key) {
    return new Message(0, key, "slack", "deployment.failed", "shop", "staging", "{}", 0, T0);
  }

  @Test
  void enqueue_shouldMoveTheCursorWithTheMessages_whenTheCursorIsAsExpected() {
    long start = outbox.cursor();
    assertTrue(outbox.enqueue(List.of(message("a"), message("b")), start, start + 5));
    assertEquals(start + 5, outbox.cursor());
    assertEquals(2, outbox.undelivered(10).size());
  }

  @Test
  void enqueue_shouldStoreNothing_whenAnotherWorkerMovedTheCursor() {
    long start = outbox.cursor();
    assertTrue(outbox.enqueue(List.of(message("a")), start, start + 1));
    assertFalse(outbox.enqueue(List.of(message("b")), start, start + 2));
    assertEquals(start + 1, outbox.cursor());
    assertEquals(List.of("a"), outbox.undelivered(10).stream().map(Message::key).toList());
  }

  @Test
  void enqueue_shouldSkipAKeyStoredBefore() {
    outbox.enqueue(List.of(message("a")));
    outbox.enqueue(List.of(message("a"), message("b")));
    assertEquals(2, outbox.undelivered(10).size());
  }

  @Test
  void claim_shouldHideAClaimedMessageUntilItsClaimExpires() {
    outbox.enqueue(List.of(message("a")));
    List<Message> first = outbox.claim(T0, T0.plusSeconds(60), 10);
    assertEquals(1, first.size());
    assertEquals(1, first.get(0).attempts());
    assertTrue(outbox.claim(T0.plusSeconds(30), T0.plusSeconds(90), 10).isEmpty());
    List<Message> again = outbox.claim(T0.plusSeconds(60), T0.plusSeconds(120), 10);
    assertEquals(1, again.size());
    assertEquals(2, again.get(0).attempts());
    assertEquals(first.get(0).key(), again.get(0).key());
  }

  @Test
  void retry_shouldMakeAMessageDueAgainOnlyAtItsTime() {
    outbox.enqueue(List.of(message("a")));
    Message m = outbox.claim(T0, T0.plusSeconds(60), 10).get(0);
    outbox.retry(m.id(), T0.plusSeconds(300), "HTTP 429");
    assertTrue(outbox.claim(T0.plusSeconds(299), T0.plusSeconds(400), 10).isEmpty());
    assertEquals(1, outbox.claim(T0.plusSeconds(300), T0.plusSeconds(400), 10).size());
  }

  @Test
  void deliveredAndGivenUp_shouldNeverBeClaimedAgain() {
    outbox.enqueue(List.of(message("a"), message("b")));
    List<Message> claimed = outbox.claim(T0, T0.plusSeconds(60), 10);
    outbox.delivered(claimed.get(0).id(), T0);
    outbox.giveUp(claimed.get(1).id(), T0, "HTTP 404");
    assertTrue(
        outbox.claim(T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2)), 10).isEmpty());
    assertTrue(outbox.undelivered(10).isEmpty());
  }

  @Test
  void claim_shouldGiveEachMessageToOneWorker_whenWorkersClaimAtOnce() throws Exception {
    List<Message> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add(message("m" + i));
    }
    outbox.enqueue(many);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Message>>> claims = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        claims.add(pool.submit(() -> outbox.claim(T0, T0.plusSeconds(60), 5)));
      }
      Set<String> seen = new HashSet<>();
      int total = 0;
      for (Future<List<Message>> f : claims) {
        for (Message m : f.get()) {
          assertTrue(seen.add(m.key()), "claimed twice: " + m.key());
          total++;
        }
      }
      assertEquals(40, total);
    } finally {
      pool.shutdownNow();
    }
    assertNotEquals(0, seen(outbox));
  }

  private static int seen(NotificationOutbox o) {
    return o.undelivered(100).size();
  }
}
