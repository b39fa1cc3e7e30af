package dev.rollgate.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.port.PlatformException;
import dev.rollgate.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {

  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  @Test
  void platform_shouldWaitWhatTheFaultAsks_whenItAsksMoreThanTheBackoff() throws Exception {
    // GIVEN a call throttled twice, asking 5 s, with a 100 ms backoff capped at 30 s
    FakeClock clock = new FakeClock(T0);
    AtomicInteger calls = new AtomicInteger();
    Retry retry =
        new Retry(clock, 4, Duration.ofMillis(100))
            .honouring(e -> Duration.ofSeconds(5), Duration.ofSeconds(30));

    // WHEN it is retried
    String answer =
        retry.platform(
            "a throttled call",
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new PlatformException("429", true);
              }
              return "ok";
            });

    // THEN it succeeded on the third call, having waited 5 s twice
    assertEquals("ok", answer);
    assertEquals(3, calls.get());
    assertEquals(T0.plusSeconds(10), clock.now());
  }

  @Test
  void platform_shouldCapTheWait_whenTheFaultAsksTooMuch() throws Exception {
    // GIVEN a fault asking an hour, capped at 30 s, and two attempts
    FakeClock clock = new FakeClock(T0);
    Retry retry =
        new Retry(clock, 2, Duration.ofMillis(100))
            .honouring(e -> Duration.ofHours(1), Duration.ofSeconds(30));

    // WHEN every call fails
    PlatformException e =
        assertThrows(
            PlatformException.class,
            () ->
                retry.platform(
                    "a call",
                    () -> {
                      throw new PlatformException("503", true);
                    }));

    // THEN the last fault is rethrown after one capped wait
    assertEquals("503", e.getMessage());
    assertEquals(T0.plusSeconds(30), clock.now());
  }

  @Test
  void platform_shouldKeepItsBackoff_whenTheFaultAsksNothing() throws Exception {
    FakeClock clock = new FakeClock(T0);
    Retry retry = new Retry(clock, 2, Duration.ofMillis(200));
    assertThrows(
        PlatformException.class,
        () ->
            retry.platform(
                "a call",
                () -> {
                  throw new PlatformException("500", true);
                }));
    // one jittered wait: between half the backoff and the backoff
    Duration waited = Duration.between(T0, clock.now());
    assertTrue(
        waited.compareTo(Duration.ofMillis(100)) >= 0
            && waited.compareTo(Duration.ofMillis(200)) <= 0,
        waited.toString());
  }
}
