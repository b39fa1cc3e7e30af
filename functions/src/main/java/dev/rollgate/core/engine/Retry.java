package dev.rollgate.core.engine;

import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.PlatformException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Bounded retries with exponential backoff and jitter, for calls that say they may be retried: the
 * engine's, and adapters' own around a read-modify-write (the gcp adapter's {@code GcpFaults}, the
 * azure adapter's {@code AzureFaults}, which also waits what the platform asked: {@link
 * #honouring}).
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
  private final Function<PlatformException, Duration> asked;
  private final Duration longestWait;

  public Retry(Clock clock, int attempts, Duration backoff) {
    this(clock, attempts, backoff, e -> null, null);
  }

  private Retry(
      Clock clock,
      int attempts,
      Duration backoff,
      Function<PlatformException, Duration> asked,
      Duration longestWait) {
    this.clock = clock;
    this.attempts = Math.max(1, attempts);
    this.backoff = backoff;
    this.asked = asked;
    this.longestWait = longestWait;
  }

  /**
   * These retries, waiting at least what a fault asks ({@code asked}: e.g. an HTTP answer's {@code
   * Retry-After}; null when it asks nothing), but never longer than {@code longestWait}.
   */
  public Retry honouring(Function<PlatformException, Duration> asked, Duration longestWait) {
    return new Retry(clock, attempts, backoff, asked, longestWait);
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
        Duration requested = asked.apply(e);
        if (requested != null && requested.compareTo(jittered) > 0) {
          jittered = requested.compareTo(longestWait) > 0 ? longestWait : requested;
        }
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
