package dev.rollgate.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Shorthands for the decoder tests. */
final class Decoding {

  static final Instant NOW = Instant.parse("2024-08-16T12:00:00Z");
  static final String DIGEST =
      "sha256:5b47a95c683295346e83bc5a9f076a7453c8130d95636fd750319410f870cd67";

  private static final EventDecoder DECODER = new EventDecoder();

  private Decoding() {}

  static List<Trigger> decode(String body) throws DecodeException {
    return decode(body, Map.of());
  }

  static List<Trigger> decode(String body, Map<String, String> headers) throws DecodeException {
    return DECODER.decode(body.getBytes(StandardCharsets.UTF_8), headers, NOW);
  }

  /** The single trigger {@code body} decodes to. */
  static Trigger one(String body) throws DecodeException {
    return one(body, Map.of());
  }

  static Trigger one(String body, Map<String, String> headers) throws DecodeException {
    List<Trigger> triggers = decode(body, headers);
    assertEquals(1, triggers.size(), triggers.toString());
    return triggers.get(0);
  }

  /** The message of the rejection of {@code body}. */
  static String rejection(String body) {
    return rejection(body, Map.of());
  }

  static String rejection(String body, Map<String, String> headers) {
    return assertThrows(DecodeException.class, () -> decode(body, headers)).getMessage();
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code text} as a JSON string literal. */
  static String quoted(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** An ECR push as EventBridge sends it, with {@code detail} as given. */
  static String ecr(String detail) {
    return """
        {"version": "0", "id": "e-1", "detail-type": "ECR Image Action", "source": "aws.ecr",
         "account": "123456789012", "time": "2024-08-16T10:00:00Z", "region": "eu-west-1",
         "resources": [], "detail": %s}"""
        .formatted(detail);
  }

  static String plain(String tag) {
    return "{\"repository\": \"team/shop\", \"tag\": \""
        + tag
        + "\", \"digest\": \""
        + DIGEST
        + "\"}";
  }
}
