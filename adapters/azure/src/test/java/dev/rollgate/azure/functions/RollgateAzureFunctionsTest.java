package dev.rollgate.azure.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.azure.functions.HttpMethod;
import dev.rollgate.assembly.LazyRollgate;
import dev.rollgate.azure.functions.AzureEntry.Reply;
import dev.rollgate.azure.functions.worker.HostContext;
import dev.rollgate.azure.functions.worker.HostHttpRequest;
import dev.rollgate.spring.RollgateAssembly;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;

/** The entry without a ledger: laziness, what is retried, and how HTTP requests become messages. */
class RollgateAzureFunctionsTest {

  @Test
  void imagePushed_shouldThrowForRedelivery_whenRollgateCannotBeAssembled() {
    // GIVEN an entry whose assembly fails (the ledger unreachable)
    AtomicInteger attempts = new AtomicInteger();
    AzureEntry entry =
        new AzureEntry(
            new LazyRollgate(
                () -> {
                  attempts.incrementAndGet();
                  throw new IllegalStateException("ledger unreachable");
                }));
    RollgateAzureFunctions functions = new RollgateAzureFunctions(entry);

    // WHEN nothing was invoked, THEN nothing was assembled (the worker's instance is cheap)
    assertEquals(0, attempts.get());
    assertFalse(entry.isAssembled());

    // WHEN an Event Grid push arrives, THEN the function throws, so that Event Grid redelivers
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> functions.imagePushed("{\"id\":\"x\"}", new HostContext("imagePushed")));
    assertTrue(
        String.valueOf(e).contains("ledger unreachable") || causedBy(e, "ledger unreachable"));
    assertEquals(1, attempts.get());
  }

  @Test
  void retryable_shouldHoldForPassingFailuresOnly_whenStatusesAreRead() {
    // GIVEN / WHEN / THEN 500 and 502-504 may pass later; 501 (not configured) and 4xx will not
    for (int s : new int[] {500, 502, 503, 504}) {
      assertTrue(new Reply(s, Map.of(), "").retryable(), String.valueOf(s));
    }
    for (int s : new int[] {200, 202, 400, 401, 404, 409, 501}) {
      assertFalse(new Reply(s, Map.of(), "").retryable(), String.valueOf(s));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void http_shouldCarryBodyHeadersAndEndpoint_whenTheWorkerPassesARequest() {
    // GIVEN a webhook request as the worker passes it, with the function key in the query
    HostHttpRequest request =
        new HostHttpRequest(
            HttpMethod.POST,
            "https://app.azurewebsites.net/api/webhook/github?code=KEY&x=1",
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
            "X-Hub-Signature-256",
            "sha256=abc");

    // WHEN it becomes rollgate's message
    Message<byte[]> m = AzureMessages.http(request);

    // THEN the bytes, lower-cased headers and the endpoint travel; the function key does not
    assertEquals("{\"a\":1}", new String(m.getPayload(), StandardCharsets.UTF_8));
    Map<String, String> headers =
        (Map<String, String>) m.getHeaders().get(RollgateAssembly.HTTP_HEADERS_HEADER);
    assertEquals("sha256=abc", headers.get("x-hub-signature-256"));
    Map<String, String> query =
        (Map<String, String>) m.getHeaders().get(RollgateAssembly.QUERY_HEADER);
    assertEquals(Map.of("x", "1", "endpoint", "github"), query);
  }

  private static boolean causedBy(Throwable t, String text) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (String.valueOf(c.getMessage()).contains(text)) {
        return true;
      }
    }
    return false;
  }
}
