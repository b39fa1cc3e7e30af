package dev.rollgate.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementException;
import dev.rollgate.core.engine.Retry;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.PlatformException;
import java.time.Duration;
import java.util.Set;

/**
 * Azure Resource Manager's answers turned into {@link PlatformException}s at the adapter's
 * boundary, in one place, saying whether trying again may help and what a person should do when it
 * will not; and the adapter's own retries: 408, 429 and 5xx (waiting at least what {@code
 * Retry-After} asks), answers that never came, and 409/412 conflicts (the whole read-modify-write
 * is made again, so the change is re-read and re-applied). Azure's SDK makes each call once (its
 * own retry policy is off, see {@link AzureClients}), so a change whose answer was lost is found by
 * the next read instead of being made twice.
 */
final class AzureFaults {

  /** HTTP statuses trying again may cure by themselves. */
  static final Set<Integer> TRANSIENT = Set.of(408, 429, 500, 502, 503, 504);

  /** A read-modify-write that may be tried again as a whole. */
  interface Call<T> {
    T call() throws PlatformException;
  }

  private final Clock clock;
  private final int attempts;
  private final Duration backoff;
  private final Duration longestWait;

  /**
   * @param attempts how many times a call is made at most (at least 1)
   * @param backoff the first wait between attempts; doubled after each, with jitter
   * @param longestWait the longest single wait, whatever {@code Retry-After} asks
   */
  AzureFaults(Clock clock, int attempts, Duration backoff, Duration longestWait) {
    this.clock = clock;
    this.attempts = Math.max(1, attempts);
    this.backoff = backoff;
    this.longestWait = longestWait;
  }

  /** Four attempts, the first wait 500ms, none longer than 30s. */
  static AzureFaults defaults(Clock clock) {
    return new AzureFaults(clock, 4, Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  /**
   * Makes {@code call} until it succeeds, fails for good, or the attempts are spent; rethrows the
   * last fault (still retryable, for the engine's own retries).
   */
  <T> T retrying(String what, Call<T> call) throws PlatformException {
    return new Retry(clock, attempts, backoff)
        .honouring(AzureFaults::retryAfter, longestWait)
        .platform(what, call::call);
  }

  /**
   * @param what what was asked, naming the resource, e.g. {@code update of containerapp 'shop'
   *     (resource group shop-rg)}
   * @param notFoundFix what to do when the resource does not exist
   */
  static PlatformException translate(RuntimeException e, String what, String notFoundFix) {
    HttpResponseException http = http(e);
    if (http == null || http.getResponse() == null) {
      return new PlatformException(
          ("azure: %s got no answer: %s; will retry (if it keeps happening, check"
                  + " rollgate.azure.endpoint and rollgate.azure.trust-certificate)")
              .formatted(what, message(e)),
          true,
          e);
    }
    int status = http.getResponse().getStatusCode();
    String said = status + " " + code(http) + ": " + armMessage(http);
    if (TRANSIENT.contains(status)) {
      return new PlatformException(
          "azure: %s did not complete: %s; will retry with backoff".formatted(what, said), true, e);
    }
    if (status == 409 || status == 412) {
      return new PlatformException(
          "azure: %s lost a race (%s); will read it again and apply the change again"
              .formatted(what, said),
          true,
          e);
    }
    String fix =
        switch (status) {
          case 401, 403 ->
              "grant rollgate's managed identity the Container Apps Contributor role on it"
                  + " (infra/azure does)";
          case 404 -> notFoundFix;
          default -> "fix the request's input in the manifest or in the Container Apps resource";
        };
    return new PlatformException(
        "azure: %s was refused: %s; %s".formatted(what, said, fix), false, e);
  }

  /** How long ARM asked to wait ({@code Retry-After} in seconds), or null. */
  static Duration retryAfter(Throwable e) {
    HttpResponseException http = http(e);
    if (http == null || http.getResponse() == null) {
      return null;
    }
    String value = http.getResponse().getHeaderValue("Retry-After");
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(value.trim()));
    } catch (NumberFormatException notSeconds) {
      return null;
    }
  }

  /** The HTTP status of an ARM answer in {@code e}'s causes, or 0 when none came. */
  static int status(Throwable e) {
    HttpResponseException http = http(e);
    HttpResponse r = http == null ? null : http.getResponse();
    return r == null ? 0 : r.getStatusCode();
  }

  static String code(HttpResponseException e) {
    if (e instanceof ManagementException m
        && m.getValue() != null
        && m.getValue().getCode() != null) {
      return m.getValue().getCode();
    }
    return "(no code)";
  }

  private static String armMessage(HttpResponseException e) {
    if (e instanceof ManagementException m
        && m.getValue() != null
        && m.getValue().getMessage() != null) {
      return m.getValue().getMessage();
    }
    return message(e);
  }

  private static HttpResponseException http(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpResponseException h) {
        return h;
      }
    }
    return null;
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
