package dev.rollgate.events;

import java.time.Instant;

/** Something that arrived and what it asks of rollgate, decoded from whatever carried it. */
public sealed interface Trigger permits ImagePushed {

  /** The kind of trigger, as printed by the CLI: {@code image-pushed}, ... */
  String kind();

  /** Who sent it, e.g. {@code plain}, {@code aws.ecr}. */
  String source();

  /** The sender's id for this event, or a digest of its body when the sender gives none. */
  String id();

  /** When the sender says it happened; the time it was received when the sender does not say. */
  Instant occurredAt();
}
