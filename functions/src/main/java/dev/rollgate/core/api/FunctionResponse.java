package dev.rollgate.core.api;

import java.util.Map;

/**
 * What a function answers: an HTTP-style status, a JSON body, and the few headers a handshake needs
 * (e.g. {@code WebHook-Allowed-Origin}).
 */
public record FunctionResponse(int status, String body, Map<String, String> headers) {

  public FunctionResponse {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public FunctionResponse(int status, String body) {
    this(status, body, Map.of());
  }
}
