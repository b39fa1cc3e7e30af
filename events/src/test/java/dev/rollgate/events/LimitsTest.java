package dev.rollgate.events;

import static dev.rollgate.events.Decoding.NOW;
import static dev.rollgate.events.Decoding.plain;
import static dev.rollgate.events.Decoding.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsTest {

  @Test
  void decode_shouldRefuse_whenTheBodyIsOverOneMebibyte() {
    // GIVEN a body of 1 MiB + 1 byte
    byte[] body = new byte[(1 << 20) + 1];
    java.util.Arrays.fill(body, (byte) ' ');
    // WHEN decoded THEN it is refused for its size, before it is parsed
    String message =
        assertThrows(DecodeException.class, () -> new EventDecoder().decode(body, Map.of(), NOW))
            .getMessage();
    assertEquals(
        "$: 1048577 bytes, over the limit of 1048576 bytes: send smaller events (or raise the"
            + " limit)",
        message);
  }

  @Test
  void decode_shouldApplyTheConfiguredCap_whenTheLimitIsLowered() {
    // GIVEN a decoder capped at 32 bytes WHEN a longer push arrives THEN it is refused
    EventDecoder small = new EventDecoder(DecodeLimits.DEFAULTS.withMaxBodyBytes(32));
    byte[] body = plain("v1").getBytes(StandardCharsets.UTF_8);
    DecodeException e =
        assertThrows(DecodeException.class, () -> small.decode(body, Map.of(), NOW));
    assertTrue(e.getMessage().contains("over the limit of 32 bytes"), e.getMessage());
  }

  @Test
  void decode_shouldRefuse_whenJsonNestsDeeperThanTheLimit() {
    // GIVEN objects nested 65 deep
    String deep = "{\"a\":".repeat(65) + "1" + "}".repeat(65);
    // WHEN decoded THEN the depth is refused
    String message = rejection(deep);
    assertTrue(message.startsWith("$: refused: Document nesting depth"), message);
  }

  @Test
  void decode_shouldRefuse_whenAnArrayHasMoreElementsThanTheLimit() {
    // GIVEN a decoder allowing 3 elements, and Records of 4
    EventDecoder small = new EventDecoder(DecodeLimits.DEFAULTS.withMaxArrayElements(3));
    byte[] body = "{\"Records\": [1, 2, 3, 4]}".getBytes(StandardCharsets.UTF_8);
    // WHEN decoded THEN the array is refused at its path
    DecodeException e =
        assertThrows(DecodeException.class, () -> small.decode(body, Map.of(), NOW));
    assertEquals("$.Records: an array of 4 elements, over the limit of 3", e.getMessage());
  }

  @Test
  void decode_shouldRefuse_whenAKeyIsDuplicated() {
    // GIVEN a push naming its tag twice WHEN decoded THEN it is refused: which one is meant?
    String message = rejection("{\"repository\": \"shop\", \"tag\": \"v1\", \"tag\": \"v2\"}");
    assertTrue(message.contains("Duplicate field 'tag'"), message);
  }

  @Test
  void decode_shouldRefuse_whenJsonIsFollowedByMore() {
    // GIVEN a push followed by garbage WHEN decoded THEN it is malformed
    assertTrue(rejection(plain("v1") + " {}").startsWith("$: malformed JSON"));
  }

  @Test
  void decode_shouldRefuse_whenANumberIsHuge() {
    // GIVEN a tag of 200 digits WHEN decoded THEN the number is refused by the parser
    String message = rejection("{\"repository\": \"shop\", \"tag\": " + "9".repeat(200) + "}");
    assertTrue(message.startsWith("$: refused: Number value length"), message);
  }

  @Test
  void decode_shouldSayItIsEmpty_whenTheBodyIsBlank() {
    // GIVEN a blank body WHEN decoded THEN the message says so
    assertEquals("$: empty: expected a JSON event", rejection(" \n"));
  }

  @Test
  void decode_shouldRefuse_whenTheBodyIsNotJsonAtAll() {
    // GIVEN an HTML error page WHEN decoded THEN the message quotes its start
    assertEquals(
        "$: malformed JSON: starts with '<html><body>502 Bad Gateway</body></html>' (expected an event"
            + " as JSON)",
        rejection("<html><body>502 Bad Gateway</body></html>"));
  }
}
