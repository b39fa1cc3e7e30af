package dev.rollgate.core.api;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a function receives, whatever carried it (Lambda, Cloud Functions, Azure, the local host):
 * the raw body, the headers (names matched case-insensitively) and the query parameters.
 */
public record FunctionRequest(byte[] body, Map<String, String> headers, Map<String, String> query) {

  public FunctionRequest {
    body = body == null ? new byte[0] : body;
    Map<String, String> lower = new TreeMap<>();
    if (headers != null) {
      headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    }
    headers = Map.copyOf(lower);
    query = query == null ? Map.of() : Map.copyOf(query);
  }

  public static FunctionRequest of(String body) {
    return new FunctionRequest(body.getBytes(StandardCharsets.UTF_8), Map.of(), Map.of());
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
