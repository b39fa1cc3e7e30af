package dev.rollgate.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A scheduler fired: an EventBridge rule or schedule, a Cloud Scheduler job, an Azure timer.
 *
 * @param name the rule, schedule or job that fired (an ARN or resource name), or null when the
 *     sender does not say
 */
public record Schedule(String source, String id, Instant occurredAt, String name)
    implements Trigger {

  public Schedule {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(occurredAt, "occurredAt");
  }

  @Override
  public String kind() {
    return "schedule";
  }
}
