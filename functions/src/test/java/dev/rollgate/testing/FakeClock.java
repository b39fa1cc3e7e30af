package dev.rollgate.testing;

import dev.rollgate.core.port.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A clock whose pauses only move its time forward: waiting in tests costs nothing. */
public final class FakeClock implements Clock {

  private final AtomicReference<Instant> now;

  public FakeClock() {
    this(Instant.parse("2026-11-22T10:00:00Z"));
  }

  public FakeClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  @Override
  public Instant now() {
    return now.get();
  }

  @Override
  public void pause(Duration duration) {
    advance(duration);
  }

  public void advance(Duration duration) {
    now.updateAndGet(t -> t.plus(duration));
  }
}
