package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.testing.FakeClock;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class AzureFaultsTest {

  @Test
  void translate_shouldRetryAndKeepRetryAfter_whenARMThrottles() {
    // GIVEN
    ManagementException e = arm(429, "TooManyRequests", "throttled", "7");

    // WHEN
    PlatformException p = AzureFaults.translate(e, "reading containerapp 'shop'", "create it");

    // THEN
    assertTrue(p.retryable(), p.getMessage());
    assertTrue(p.getMessage().contains("429 TooManyRequests: throttled"), p.getMessage());
    assertEquals(Duration.ofSeconds(7), AzureFaults.retryAfter(p));
  }

  @Test
  void translate_shouldNameTheRoleAndNotRetry_whenForbidden() {
    // GIVEN / WHEN
    PlatformException p =
        AzureFaults.translate(arm(403, "AuthorizationFailed", "no", null), "update of shop", "x");

    // THEN
    assertFalse(p.retryable(), p.getMessage());
    assertTrue(p.getMessage().contains("Container Apps Contributor"), p.getMessage());
  }

  @Test
  void retrying_shouldWaitAtLeastRetryAfter_whenTheCallIsThrottled() throws Exception {
    // GIVEN a call throttled once with Retry-After: 5
    FakeClock clock = new FakeClock(Instant.parse("2026-12-04T00:00:00Z"));
    AzureFaults faults = new AzureFaults(clock, 3, Duration.ofMillis(10), Duration.ofSeconds(30));
    AtomicInteger calls = new AtomicInteger();

    // WHEN
    String answer =
        faults.retrying(
            "describe",
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw AzureFaults.translate(
                    arm(429, "TooManyRequests", "slow down", "5"), "describe", "");
              }
              return "ok";
            });

    // THEN
    assertEquals("ok", answer);
    assertEquals(Instant.parse("2026-12-04T00:00:05Z"), clock.now());
  }

  private static ManagementException arm(
      int status, String code, String message, String retryAfter) {
    HttpHeaders headers = new HttpHeaders();
    if (retryAfter != null) {
      headers.set("Retry-After", retryAfter);
    }
    HttpRequest request = new HttpRequest(HttpMethod.GET, "https://127.0.0.1/x");
    HttpResponse response =
        new HttpResponse(request) {
          @Override
          public int getStatusCode() {
            return status;
          }

          @Override
          @Deprecated
          public String getHeaderValue(String name) {
            return headers.getValue(name);
          }

          @Override
          public HttpHeaders getHeaders() {
            return headers;
          }

          @Override
          public Flux<ByteBuffer> getBody() {
            return Flux.empty();
          }

          @Override
          public Mono<byte[]> getBodyAsByteArray() {
            return Mono.empty();
          }

          @Override
          public Mono<String> getBodyAsString() {
            return Mono.empty();
          }

          @Override
          public Mono<String> getBodyAsString(Charset charset) {
            return Mono.empty();
          }
        };
    return new ManagementException(message, response, new ManagementError(code, message));
  }
}
