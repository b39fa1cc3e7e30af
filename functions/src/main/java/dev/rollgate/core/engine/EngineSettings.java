package dev.rollgate.core.engine;

import java.time.Duration;
import java.util.UUID;

/**
 * How the engine paces itself.
 *
 * @param owner this engine's lease-owner id (default: a random id per engine instance)
 * @param lease how long a lease on a deployment lasts before reconcile may take it over (default
 *     60s; renewed on every step)
 * @param retryAttempts attempts for a platform or migration call that fails with a retryable fault
 *     (default 4)
 * @param retryBackoff first backoff between such attempts, doubled each time, with jitter (default
 *     500ms)
 */
public record EngineSettings(
    String owner, Duration lease, int retryAttempts, Duration retryBackoff) {

  public static EngineSettings defaults() {
    return new EngineSettings(
        "engine-" + UUID.randomUUID(), Duration.ofSeconds(60), 4, Duration.ofMillis(500));
  }

  public EngineSettings withLease(Duration newLease) {
    return new EngineSettings(owner, newLease, retryAttempts, retryBackoff);
  }

  public EngineSettings withOwner(String newOwner) {
    return new EngineSettings(newOwner, lease, retryAttempts, retryBackoff);
  }
}
