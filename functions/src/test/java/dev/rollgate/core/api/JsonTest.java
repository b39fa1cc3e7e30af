package dev.rollgate.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

class JsonTest {

  /** A strict reader: no unescaped control characters, as every JSON parser must insist. */
  private static final JsonMapper STRICT =
      JsonMapper.builder().disable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS).build();

  @Test
  void error_shouldBeValidJson_whenTheMessageHoldsControlCharactersAndQuotes() throws Exception {
    // GIVEN a message with every control character, quotes, backslashes and line separators
    StringBuilder message = new StringBuilder("a \"quoted\" \\ path\u2028\u2029");
    for (char c = 0; c < 0x20; c++) {
      message.append(c);
    }
    message.append('\u007f');
    // WHEN answered as an error
    FunctionResponse r = Json.error(400, "bad-request", message.toString());
    // THEN a strict parser reads it back exactly, on one line
    JsonNode n = STRICT.readTree(r.body());
    assertEquals(message.toString(), n.get("error").asText());
    assertEquals("bad-request", n.get("reason").asText());
    assertEquals(-1, r.body().indexOf('\n'), r.body());
  }
}
