package dev.rollgate.testing;

import dev.rollgate.core.port.NotificationOutbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outbox in memory, with the same claim rules as the database's. */
public final class InMemoryNotificationOutbox implements NotificationOutbox {

  private static final class Row {
    Message m;
    Instant claimedUntil;
    Instant deliveredAt;
    Instant gaveUpAt;
    String lastError;

    Row(Message m) {
      this.m = m;
    }
  }

  private final Map<Long, Row> rows = new LinkedHashMap<>();
  private long cursor;
  private long nextId = 1;

  @Override
  public synchronized long cursor() {
    return cursor;
  }

  @Override
  public synchronized boolean enqueue(List<Message> messages, long expected, long to) {
    if (cursor != expected) {
      return false;
    }
    cursor = to;
    enqueue(messages);
    return true;
  }

  @Override
  public synchronized void enqueue(List<Message> messages) {
    for (Message m : messages) {
      if (rows.values().stream().anyMatch(r -> r.m.key().equals(m.key()))) {
        continue;
      }
      long id = nextId++;
      rows.put(
          id,
          new Row(
              new Message(
                  id,
                  m.key(),
                  m.channel(),
                  m.event(),
                  m.app(),
                  m.environment(),
                  m.body(),
                  0,
                  m.dueAt())));
    }
  }

  @Override
  public synchronized List<Message> claim(Instant now, Instant until, int limit) {
    List<Message> out = new ArrayList<>();
    rows.values().stream()
        .filter(r -> r.deliveredAt == null && r.gaveUpAt == null && !r.m.dueAt().isAfter(now))
        .filter(r -> r.claimedUntil == null || !r.claimedUntil.isAfter(now))
        .sorted(Comparator.comparing((Row r) -> r.m.dueAt()).thenComparing(r -> r.m.id()))
        .limit(limit)
        .forEach(
            r -> {
              r.claimedUntil = until;
              r.m = with(r.m, r.m.attempts() + 1, r.m.dueAt());
              out.add(r.m);
            });
    return out;
  }

  private static Message with(Message m, int attempts, Instant due) {
    return new Message(
        m.id(), m.key(), m.channel(), m.event(), m.app(), m.environment(), m.body(), attempts, due);
  }

  @Override
  public synchronized void delivered(long id, Instant at) {
    Row r = rows.get(id);
    r.deliveredAt = at;
    r.claimedUntil = null;
  }

  @Override
  public synchronized void retry(long id, Instant due, String error) {
    Row r = rows.get(id);
    r.m = with(r.m, r.m.attempts(), due);
    r.claimedUntil = null;
    r.lastError = error;
  }

  @Override
  public synchronized void giveUp(long id, Instant at, String error) {
    Row r = rows.get(id);
    r.gaveUpAt = at;
    r.claimedUntil = null;
    r.lastError = error;
  }

  @Override
  public synchronized List<Message> undelivered(int limit) {
    return rows.values().stream()
        .filter(r -> r.deliveredAt == null && r.gaveUpAt == null)
        .map(r -> r.m)
        .limit(limit)
        .toList();
  }

  /** Every stored body and error, for tests that look for secrets. */
  public synchronized List<String> storedText() {
    List<String> out = new ArrayList<>();
    rows.values()
        .forEach(
            r -> {
              out.add(r.m.body());
              if (r.lastError != null) {
                out.add(r.lastError);
              }
            });
    return out;
  }

  /** True once the row with this key was marked delivered. */
  public synchronized boolean delivered(String key) {
    return rows.values().stream().anyMatch(r -> r.m.key().equals(key) && r.deliveredAt != null);
  }

  /** True once the row with this key was given up. */
  public synchronized boolean gaveUp(String key) {
    return rows.values().stream().anyMatch(r -> r.m.key().equals(key) && r.gaveUpAt != null);
  }
}
