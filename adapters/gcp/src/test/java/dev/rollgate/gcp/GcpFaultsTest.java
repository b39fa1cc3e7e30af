package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiExceptionFactory;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.testing.FakeClock;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GcpFaultsTest {

  @Test
  void translate_shouldSayRetryable_whenTheStatusIsTransientOrAConflict() {
    // GIVEN / WHEN / THEN
    for (Status.Code code :
        new Status.Code[] {
          Status.Code.UNAVAILABLE,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.ABORTED
        }) {
      assertTrue(translate(code, "x").retryable(), code.name());
    }
    assertTrue(translate(Status.Code.FAILED_PRECONDITION, "etag mismatch").retryable());
    assertFalse(translate(Status.Code.FAILED_PRECONDITION, "revision not ready").retryable());
  }

  @Test
  void translate_shouldNameTheFix_whenTheCallIsRefused() {
    // GIVEN / WHEN
    PlatformException denied = translate(Status.Code.PERMISSION_DENIED, "no");
    PlatformException missing = translate(Status.Code.NOT_FOUND, "gone");

    // THEN
    assertFalse(denied.retryable());
    assertTrue(denied.getMessage().contains("grant run.services.update"), denied.getMessage());
    assertTrue(missing.getMessage().contains("create it"), missing.getMessage());
    assertTrue(missing.getMessage().contains("NOT_FOUND: gone"), missing.getMessage());
  }

  @Test
  void retrying_shouldTryAgainWithBackoff_whenACallFailsRetryably() throws Exception {
    // GIVEN a call failing twice, then answering
    FakeClock clock = new FakeClock();
    java.time.Instant start = clock.now();
    AtomicInteger calls = new AtomicInteger();
    GcpFaults faults = new GcpFaults(clock, 3, Duration.ofMillis(400));

    // WHEN
    String answer =
        faults.retrying(
            "test",
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new PlatformException("busy", true);
              }
              return "ok";
            });

    // THEN three calls, with waits of 200-400ms then 400-800ms between them
    assertEquals("ok", answer);
    assertEquals(3, calls.get());
    long waited = Duration.between(start, clock.now()).toMillis();
    assertTrue(waited >= 600 && waited <= 1200, waited + "ms");
  }

  @Test
  void retrying_shouldStopAtOnce_whenAFaultIsNotRetryable() {
    // GIVEN
    AtomicInteger calls = new AtomicInteger();
    GcpFaults faults = new GcpFaults(new FakeClock(), 3, Duration.ofMillis(1));

    // WHEN
    assertThrows(
        PlatformException.class,
        () ->
            faults.retrying(
                "test",
                () -> {
                  calls.incrementAndGet();
                  throw new PlatformException("no", false);
                }));

    // THEN
    assertEquals(1, calls.get());
  }

  private static PlatformException translate(Status.Code code, String message) {
    return GcpFaults.translate(
        ApiExceptionFactory.createException(
            message, new RuntimeException(message), GrpcStatusCode.of(code), false),
        "run.services.update",
        "UpdateService of service 'shop'",
        "create it first");
  }
}
