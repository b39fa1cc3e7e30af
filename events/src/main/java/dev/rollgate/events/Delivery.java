package dev.rollgate.events;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One HTTP request as the sender made it: the raw body and its headers (names case-insensitive). An
 * HTTP envelope (API Gateway, Lambda Function URL) unwraps to one, and senders are verified against
 * it, because their signatures cover these exact bytes.
 */
public record Delivery(byte[] body, Map<String, String> headers) {

  public Delivery {
    Objects.requireNonNull(body, "body");
    headers = caseInsensitive(headers);
  }

  /** The header's value, whatever the case of its name; null when absent. */
  public String header(String name) {
    return headers.get(name);
  }

  /** A read-only copy of {@code headers} whose lookups ignore the case of names; nulls dropped. */
  public static Map<String, String> caseInsensitive(Map<String, String> headers) {
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      headers.forEach(
          (name, value) -> {
            if (name != null && value != null) {
              copy.put(name, value);
            }
          });
    }
    return Collections.unmodifiableMap(copy);
  }
}
