package dev.rollgate.core.engine;

import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.PlatformException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Bounded retries with exponential backoff and jitter, for calls that say they may be retried: the
 * engine's, and adapters' own around a read-modify-write (e.g. the gcp adapter's {@code
 * GcpFaults}).
 */
public final class Retry {

  private static final Logger LOG = Logger.getLogger(Retry.class.getName());

  /** A call to a platform. */
  public interface PlatformCall<T> {
    T call() throws PlatformException;
  }

  private final Clock clock;
  private final int attempts;
  private final Duration backoff;

  public Retry(Clock clock, int attempts, Duration backoff) {
    this.clock = clock;
    this.attempts = Math.max(1, attempts);
    this.backoff = backoff;
  }

  /**
   * Calls until it succeeds, fails for good, or the attempts are spent; rethrows the last fault.
   */
  public <T> T platform(String what, PlatformCall<T> call) throws PlatformException {
    Duration wait = backoff;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (PlatformException e) {
        if (!e.retryable() || attempt >= attempts) {
          throw e;
        }
        Duration jittered = jitter(wait);
        String message =
            "%s failed (attempt %d of %d), retrying in %dms: %s"
                .formatted(what, attempt, attempts, jittered.toMillis(), e.getMessage());
        LOG.warning(message);
        pause(jittered);
        wait = wait.multipliedBy(2);
      }
    }
  }

  void pause(Duration d) {
    try {
      clock.pause(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry", e);
    }
  }

  private static Duration jitter(Duration d) {
    long ms = Math.max(1, d.toMillis());
    return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
  }
}
