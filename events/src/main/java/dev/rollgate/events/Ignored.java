package dev.rollgate.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A known sender said something that is not a deploy trigger (a scan result, a failed push, a git
 * push, a pull); acknowledge it so that the sender does not retry, and do nothing.
 *
 * @param reason one line saying what it was and why nothing follows
 */
public record Ignored(String source, String id, Instant occurredAt, String reason)
    implements Trigger {

  public Ignored {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String kind() {
    return "ignored";
  }
}
