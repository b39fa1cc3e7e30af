package dev.rollgate.events.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rollgate.events.DecodeException;
import dev.rollgate.events.DecodeLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * Parses JSON within the limits: body size, nesting depth, number length, array size; duplicate
 * keys are refused (a signature covers the bytes, and two readers must not see two meanings).
 */
public final class Json {

  private static final int MAX_NUMBER_CHARS = 100;

  private final ObjectMapper mapper;
  private final DecodeLimits limits;

  public Json(DecodeLimits limits) {
    this.limits = limits;
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxDepth())
                    .maxNumberLength(MAX_NUMBER_CHARS)
                    .maxStringLength(limits.maxBodyBytes())
                    .maxNameLength(Math.min(limits.maxBodyBytes(), 50_000))
                    .maxDocumentLength(limits.maxBodyBytes())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.mapper =
        JsonMapper.builder(factory)
            // Numbers keep their written form: a tag 1.10 sent as a number stays "1.10".
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
  }

  public DecodeLimits limits() {
    return limits;
  }

  /** The JSON in {@code bytes}; {@code where} names them in messages, e.g. {@code $.body}. */
  JsonNode parse(byte[] bytes, String where) throws DecodeException {
    if (bytes.length > limits.maxBodyBytes()) {
      throw tooBig(where, bytes.length);
    }
    String text = notJson(bytes);
    if (text != null) {
      throw new DecodeException(
          where
              + ": malformed JSON: starts with "
              + Text.quote(text)
              + " (expected an event as JSON)");
    }
    JsonNode node;
    try {
      node = mapper.readTree(bytes);
    } catch (StreamConstraintsException e) {
      throw new DecodeException(where + ": refused: " + Text.oneLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw new DecodeException(
          where
              + ": malformed JSON"
              + at(e.getLocation())
              + ": "
              + Text.oneLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new DecodeException(where + ": unreadable: " + Text.oneLine(e.getMessage()));
    }
    if (node == null || node.isMissingNode()) {
      throw new DecodeException(where + ": empty: expected a JSON object");
    }
    checkArrays(node, where);
    return node;
  }

  JsonNode parse(String text, String where) throws DecodeException {
    return parse(Text.utf8(text), where);
  }

  DecodeException tooBig(String where, long bytes) {
    return new DecodeException(
        where
            + ": "
            + bytes
            + " bytes, over the limit of "
            + limits.maxBodyBytes()
            + " bytes: send smaller events (or raise the limit)");
  }

  private void checkArrays(JsonNode node, String where) throws DecodeException {
    ArrayDeque<Object> path = new ArrayDeque<>();
    checkArrays(node, where, path);
  }

  // Depth is bounded by the parser, so this recursion is too; the path is built only on failure.
  private void checkArrays(JsonNode node, String where, ArrayDeque<Object> path)
      throws DecodeException {
    if (node.isArray()) {
      if (node.size() > limits.maxArrayElements()) {
        throw new DecodeException(
            Node.render(where, path)
                + ": an array of "
                + node.size()
                + " elements, over the limit of "
                + limits.maxArrayElements());
      }
      for (int i = 0; i < node.size(); i++) {
        path.addLast(i);
        checkArrays(node.get(i), where, path);
        path.removeLast();
      }
    } else if (node.isObject()) {
      if (node.size() > limits.maxArrayElements()) {
        throw new DecodeException(
            Node.render(where, path)
                + ": an object of "
                + node.size()
                + " fields, over the limit of "
                + limits.maxArrayElements());
      }
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (field.getValue().isContainerNode()) {
          path.addLast(field.getKey());
          checkArrays(field.getValue(), where, path);
          path.removeLast();
        }
      }
    }
  }

  // Text that cannot start a JSON value (a greeting, an HTML error page): say what it is instead
  // of reporting a parser's token error; null when it could be JSON.
  private static String notJson(byte[] bytes) {
    int i = 0;
    while (i < bytes.length
        && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) {
      i++;
    }
    if (i == bytes.length || "{[\"-0123456789".indexOf(bytes[i]) >= 0 || bytes[i] < 0) {
      return null;
    }
    for (String literal : new String[] {"true", "false", "null"}) {
      if (startsWith(bytes, i, literal)) {
        return null;
      }
    }
    int end = Math.min(bytes.length, i + 60);
    return new String(bytes, i, end - i, StandardCharsets.UTF_8);
  }

  private static boolean startsWith(byte[] bytes, int from, String literal) {
    if (bytes.length - from < literal.length()) {
      return false;
    }
    for (int k = 0; k < literal.length(); k++) {
      if (bytes[from + k] != literal.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
