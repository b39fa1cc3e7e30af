package dev.rollgate.core.port;

import java.time.Instant;
import java.util.List;

/**
 * The ledger's outbox of notifications: one message per event and channel, claimed before it is
 * sent, marked when the receiver answered, retried when it did not. Deployment events come from the
 * transition log (written in the same transaction as each transition), read past a cursor that
 * moves in the same transaction as the messages it produced.
 */
public interface NotificationOutbox {

  /**
   * A message to deliver.
   *
   * @param key the idempotency key, unique per event and channel; sent with every attempt
   * @param body the channel-neutral notification as JSON (never a secret)
   */
  record Message(
      long id,
      String key,
      String channel,
      String event,
      String app,
      String environment,
      String body,
      int attempts,
      Instant dueAt) {}

  /** The last transition sequence number turned into messages. */
  long cursor();

  /**
   * Stores messages and moves the cursor from {@code expected} to {@code to}, atomically; a key
   * stored before is skipped. Returns false, storing nothing, when the cursor is no longer {@code
   * expected} (another worker got there first).
   */
  boolean enqueue(List<Message> messages, long expected, long to);

  /** Stores messages that come from no transition (backups); a key stored before is skipped. */
  void enqueue(List<Message> messages);

  /**
   * Claims up to {@code limit} messages due at {@code now} and not claimed by someone else, until
   * {@code until}, counting an attempt on each; oldest first.
   */
  List<Message> claim(Instant now, Instant until, int limit);

  /** The receiver answered 2xx: the message is never sent again. */
  void delivered(long id, Instant at);

  /** The receiver did not take it: try again at {@code due}. */
  void retry(long id, Instant due, String error);

  /** Tried too often, or refused for good (4xx): kept, never sent again. */
  void giveUp(long id, Instant at, String error);

  /** Messages not yet delivered nor given up, oldest first (for status and tests). */
  List<Message> undelivered(int limit);
}
