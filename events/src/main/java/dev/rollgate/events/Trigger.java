package dev.rollgate.events;

import java.time.Instant;

/** Something that arrived and what it asks of rollgate, decoded from whatever carried it. */
public sealed interface Trigger permits ImagePushed, ImageDeleted, Schedule, Handshake, Ignored {

  /**
   * The kind of trigger, as printed by the CLI: {@code image-pushed}, {@code image-deleted}, {@code
   * schedule}, {@code handshake} or {@code ignored}.
   */
  String kind();

  /** Who sent it, e.g. {@code plain}, {@code aws.ecr}, {@code github}. */
  String source();

  /**
   * The sender's id for this event (its replay key: {@code X-GitHub-Delivery}, the Event Grid,
   * CloudEvents or EventBridge id, the Pub/Sub or SQS message id), or {@code sha256:<hex>} of the
   * payload when the sender gives none, so that a byte-identical redelivery has the same key.
   */
  String id();

  /** When the sender says it happened; the time it was received when the sender does not say. */
  Instant occurredAt();
}
