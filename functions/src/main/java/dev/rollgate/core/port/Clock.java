package dev.rollgate.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/** Time, injected, so that waiting is fast in tests and bounded everywhere. */
public interface Clock {

  Instant now();

  /** Waits for {@code duration}; a test clock just moves its time forward. */
  void pause(Duration duration) throws InterruptedException;

  /** The machine's clock. */
  static Clock system() {
    return new Clock() {
      @Override
      public Instant now() {
        return Instant.now();
      }

      @Override
      public void pause(Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
          LockSupport.parkNanos(this, left);
          if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting " + duration);
          }
        }
      }
    };
  }
}
