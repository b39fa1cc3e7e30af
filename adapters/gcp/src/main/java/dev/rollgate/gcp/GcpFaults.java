package dev.rollgate.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import dev.rollgate.core.engine.Retry;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.PlatformException;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Google Cloud's gRPC statuses turned into {@link PlatformException}s at the adapter's boundary,
 * saying whether trying again may help and what a person should do when it will not; and the
 * adapter's own retries: UNAVAILABLE, RESOURCE_EXHAUSTED and DEADLINE_EXCEEDED with exponential
 * backoff and jitter, an etag conflict (ABORTED, or FAILED_PRECONDITION about an etag) by reading
 * the resource again and applying the change again. A retried call is a whole read-modify-write, so
 * a change whose answer was lost is found by the next read instead of being made twice.
 */
final class GcpFaults {

  /** Faults that trying again may cure by themselves. */
  static final Set<StatusCode.Code> TRANSIENT =
      Set.of(
          StatusCode.Code.UNAVAILABLE,
          StatusCode.Code.RESOURCE_EXHAUSTED,
          StatusCode.Code.DEADLINE_EXCEEDED);

  /** A read-modify-write that may be tried again as a whole. */
  interface Call<T> {
    T call() throws PlatformException;
  }

  private final Clock clock;
  private final int attempts;
  private final Duration backoff;

  /**
   * @param attempts how many times a call is made at most (at least 1)
   * @param backoff the first wait between attempts; doubled after each, with jitter
   */
  GcpFaults(Clock clock, int attempts, Duration backoff) {
    this.clock = clock;
    this.attempts = Math.max(1, attempts);
    this.backoff = backoff;
  }

  /** Three attempts, the first wait 500ms: a few seconds in all, within one invocation. */
  static GcpFaults defaults(Clock clock) {
    return new GcpFaults(clock, 3, Duration.ofMillis(500));
  }

  /**
   * Makes {@code call} until it succeeds, fails for good, or the attempts are spent; rethrows the
   * last fault (still retryable, for the engine's own retries).
   */
  <T> T retrying(String what, Call<T> call) throws PlatformException {
    return new Retry(clock, attempts, backoff).platform(what, call::call);
  }

  /**
   * @param permission the IAM permission the call needs, e.g. {@code run.services.update}
   * @param what what was asked, naming the resource, e.g. {@code UpdateService of service 'shop'
   *     (projects/p/locations/europe-west1)}
   * @param notFoundFix what to do when the resource does not exist
   */
  static PlatformException translate(
      RuntimeException e, String permission, String what, String notFoundFix) {
    StatusCode.Code code = code(e);
    String said = code + ": " + message(e);
    if (code == null) {
      return new PlatformException(
          "gcp: %s could not be sent: %s; check rollgate.gcp.* (emulator host, project) and the"
                  .formatted(what, e)
              + " credentials (Application Default Credentials)",
          false,
          e);
    }
    if (TRANSIENT.contains(code)) {
      return new PlatformException(
          "gcp: %s did not complete: %s; will retry with backoff".formatted(what, said), true, e);
    }
    if (conflict(code, message(e))) {
      return new PlatformException(
          "gcp: %s lost a race (%s); will read it again and apply the change again"
              .formatted(what, said),
          true,
          e);
    }
    String fix =
        switch (code) {
          case PERMISSION_DENIED, UNAUTHENTICATED ->
              "grant " + permission + " on it to rollgate's service account (roles/run.developer)";
          case NOT_FOUND -> notFoundFix;
          default ->
              "fix the request's input in the manifest or in the Cloud Run resource it names";
        };
    return new PlatformException(
        "gcp: %s was refused: %s; %s".formatted(what, said, fix), false, e);
  }

  /** An etag conflict: ABORTED, or FAILED_PRECONDITION about an etag. */
  static boolean conflict(StatusCode.Code code, String message) {
    return code == StatusCode.Code.ABORTED
        || code == StatusCode.Code.FAILED_PRECONDITION
            && message.toLowerCase(Locale.ROOT).contains("etag");
  }

  /** The gRPC status code of a client exception, or null when none was received. */
  static StatusCode.Code code(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiException api) {
        return api.getStatusCode().getCode();
      }
      if (t instanceof StatusRuntimeException s) {
        return StatusCode.Code.valueOf(s.getStatus().getCode().name());
      }
    }
    return null;
  }

  static String message(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s && s.getStatus().getDescription() != null) {
        return s.getStatus().getDescription();
      }
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
