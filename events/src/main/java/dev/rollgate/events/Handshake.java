package dev.rollgate.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A sender checking that the endpoint is really ours before it delivers anything: answer with
 * status 200, {@code response} as a JSON object body and {@code responseHeaders} as headers.
 *
 * @param response the JSON object to answer with, e.g. {@code {"validationResponse": code}} for an
 *     Event Grid subscription validation, {@code {}} for a GitHub ping
 * @param responseHeaders headers to answer with, e.g. {@code WebHook-Allowed-Origin} for the
 *     CloudEvents webhook validation; usually empty
 */
public record Handshake(
    String source,
    String id,
    Instant occurredAt,
    Map<String, String> response,
    Map<String, String> responseHeaders)
    implements Trigger {

  public Handshake {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(occurredAt, "occurredAt");
    response = Map.copyOf(response);
    responseHeaders = Map.copyOf(responseHeaders);
  }

  @Override
  public String kind() {
    return "handshake";
  }
}
