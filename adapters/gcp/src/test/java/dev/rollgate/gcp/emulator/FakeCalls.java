package dev.rollgate.gcp.emulator;

import dev.rollgate.gcp.emulator.CloudRunFaults.Kind;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;

/**
 * How every handler of the Cloud Run fake answers: injected faults first, then the call under the
 * store's lock, then the answer (or, for a lost answer, UNAVAILABLE after the change was made).
 */
final class FakeCalls {

  private final CloudRunStore store;
  private final CloudRunFaults faults;

  FakeCalls(CloudRunStore store, CloudRunFaults faults) {
    this.store = store;
    this.faults = faults;
  }

  /**
   * Answers {@code method} with what {@code body} returns; {@code body} is told the injected fault
   * so that an update can play an etag conflict. A {@link StatusRuntimeException} it throws is the
   * answer.
   */
  <T> void answer(String method, StreamObserver<T> observer, Function<Kind, T> body) {
    Kind kind = faults.draw(method);
    if (kind == Kind.UNAVAILABLE || kind == Kind.RESOURCE_EXHAUSTED) {
      observer.onError(CloudRunFaults.refusal(kind, method).asRuntimeException());
      return;
    }
    T answer;
    try {
      answer = store.run(() -> body.apply(kind));
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return;
    }
    if (kind == Kind.LOST_ANSWER) {
      observer.onError(
          Status.UNAVAILABLE
              .withDescription("Connection reset: the answer to " + method + " was lost (fake)")
              .asRuntimeException());
      return;
    }
    observer.onNext(answer);
    observer.onCompleted();
  }

  static StatusRuntimeException notFound(String what, String name) {
    // The real API's NOT_FOUND for services reads "Resource 'shop' of kind 'SERVICE' in region
    // 'europe-west1' in project 'p' does not exist."
    return Status.NOT_FOUND
        .withDescription(
            "Resource '%s' of kind '%s' in region '%s' in project '%s' does not exist."
                .formatted(CloudRunStore.id(name), what, part(name, 3), part(name, 1)))
        .asRuntimeException();
  }

  static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  /**
   * The etag check of an update: a stale etag is ABORTED (the status /work/shared/RECIPES.md and
   * google.rpc.Code give a read-modify-write that lost a race; the wording is the fake's own).
   */
  static void checkEtag(String given, String current, String name) {
    if (!given.isEmpty() && !given.equals(current)) {
      throw Status.ABORTED
          .withDescription(
              "Etag mismatch for '%s': the resource was changed since it was read (request etag %s,"
                      .formatted(name, given)
                  + " current etag "
                  + current
                  + "). Read it again and retry.")
          .asRuntimeException();
    }
  }

  private static String part(String name, int i) {
    String[] parts = name.split("/");
    return parts.length > i ? parts[i] : "?";
  }
}
