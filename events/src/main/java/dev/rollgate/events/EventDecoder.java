package dev.rollgate.events;

import dev.rollgate.events.decode.Dispatcher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes whatever arrives at rollgate into triggers: registry pushes and deletes of ECR, Artifact
 * Registry, ACR, GHCR, Docker Hub, Harbor, Quay and Distribution; schedules; handshakes; known
 * events that ask nothing (ignored). It recognises its input by content and headers, and opens the
 * envelopes around it: API Gateway and Function URL requests, SQS, SNS, Pub/Sub, CloudEvents, Event
 * Grid batches. Thread-safe; throws nothing but {@link DecodeException}.
 */
public final class EventDecoder {

  private final Dispatcher dispatcher;

  /** A decoder with {@link DecodeLimits#DEFAULTS}: 1 MiB bodies, JSON nested 64 deep. */
  public EventDecoder() {
    this(DecodeLimits.DEFAULTS);
  }

  public EventDecoder(DecodeLimits limits) {
    this.dispatcher = new Dispatcher(Objects.requireNonNull(limits, "limits"));
  }

  /**
   * The triggers in one delivery.
   *
   * @param body the raw body (or the event a function was invoked with)
   * @param headers the HTTP headers, names in any case; empty when there were none
   * @param receivedAt when it arrived: the time of triggers whose sender does not say
   * @return at least one trigger
   * @throws DecodeException when the input is unrecognised, malformed or over a limit; the one-line
   *     message names the field and its JSON path. Nothing else is thrown for any input; only a
   *     null {@code receivedAt}, a programming error, is a NullPointerException.
   */
  public List<Trigger> decode(byte[] body, Map<String, String> headers, Instant receivedAt)
      throws DecodeException {
    if (body == null) {
      throw new DecodeException("$: no body: expected a JSON event");
    }
    Objects.requireNonNull(receivedAt, "receivedAt");
    try {
      return List.copyOf(dispatcher.decode(body, headers, receivedAt));
    } catch (RuntimeException | StackOverflowError e) {
      // The last line of defence: a bug here must be a 4xx for the sender, not a 5xx.
      throw new DecodeException(
          "$: could not be decoded (internal error " + e.getClass().getSimpleName() + ")", e);
    }
  }

  /**
   * The HTTP request a sender made, out of the API Gateway or Function URL envelope it arrived in
   * (base64 undone); the input itself when it is no such envelope. Verify signatures against this.
   */
  public Delivery unwrap(byte[] body, Map<String, String> headers) throws DecodeException {
    if (body == null) {
      throw new DecodeException("$: no body");
    }
    try {
      return dispatcher.unwrap(body, headers);
    } catch (RuntimeException | StackOverflowError e) {
      throw new DecodeException(
          "$: could not be unwrapped (internal error " + e.getClass().getSimpleName() + ")", e);
    }
  }
}
