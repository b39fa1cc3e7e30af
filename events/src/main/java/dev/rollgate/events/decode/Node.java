package dev.rollgate.events.decode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.events.DecodeException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON value and its path ({@code $.detail.image-tag}), read leniently where the meaning is
 * unambiguous: field names in another casing or spelling ({@code detailType} for {@code
 * detail-type}), numbers for strings, JSON objects carried as strings. Anything else is a {@link
 * DecodeException} naming the path.
 */
final class Node {

  private static final int MAX_NUMBER_DIGITS = 40;

  private final JsonNode json;
  private final String path;
  private final Json parser;

  Node(JsonNode json, String path, Json parser) {
    this.json = json == null || json.isNull() || json.isMissingNode() ? null : json;
    this.path = path;
    this.parser = parser;
  }

  String path() {
    return path;
  }

  JsonNode json() {
    return json;
  }

  Json parser() {
    return parser;
  }

  boolean isMissing() {
    return json == null;
  }

  boolean isObject() {
    return json != null && json.isObject();
  }

  boolean isArray() {
    return json != null && json.isArray();
  }

  boolean isText() {
    return json != null && json.isTextual();
  }

  /** True when the field exists (in any accepted spelling) and is not null. */
  boolean has(String... names) throws DecodeException {
    return !get(names).isMissing();
  }

  /**
   * The first of {@code names} this object has. A name matches exactly or ignoring case, hyphens
   * and underscores ({@code message_id} for {@code messageId}); two spellings of one name with
   * different values are ambiguous and refused.
   */
  Node get(String... names) throws DecodeException {
    if (json != null && json.isObject()) {
      for (String name : names) {
        Node found = lookup(name);
        if (found != null) {
          return found;
        }
      }
    }
    return new Node(null, childPath(path, names[0]), parser);
  }

  private Node lookup(String name) throws DecodeException {
    JsonNode exact = json.get(name);
    String wanted = normalise(name);
    String foundName = exact != null ? name : null;
    JsonNode value = exact;
    for (Map.Entry<String, JsonNode> field : json.properties()) {
      if (field.getKey().equals(name) || !normalise(field.getKey()).equals(wanted)) {
        continue;
      }
      if (foundName == null) {
        foundName = field.getKey();
        value = field.getValue();
      } else if (!field.getValue().equals(value)) {
        throw new DecodeException(
            childPath(path, foundName)
                + " and "
                + childPath(path, field.getKey())
                + ": both present with different values: ambiguous, send only one");
      }
    }
    return foundName == null ? null : child(foundName, value);
  }

  private Node child(String name, JsonNode value) {
    return new Node(value, childPath(path, name), parser);
  }

  /** This value as an object: an object, or a string that holds a JSON object; else refused. */
  Node object() throws DecodeException {
    if (json == null || json.isObject()) {
      return this;
    }
    if (json.isTextual()) {
      JsonNode inner = parseInner();
      if (inner.isObject()) {
        return new Node(inner, path, parser);
      }
    }
    throw wrongType("an object");
  }

  /** The elements of this array (or of a JSON array carried as a string); empty when missing. */
  List<Node> elements() throws DecodeException {
    JsonNode array = json;
    if (array == null) {
      return List.of();
    }
    if (array.isTextual() && array.asText().trim().startsWith("[")) {
      array = parseInner();
    }
    if (!array.isArray()) {
      throw wrongType("an array");
    }
    List<Node> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(new Node(array.get(i), path + "[" + i + "]", parser));
    }
    return out;
  }

  /**
   * This value as text: strings as they are (trimmed), numbers in their written form; null when
   * missing. Booleans, objects and arrays are refused.
   */
  String text() throws DecodeException {
    if (json == null) {
      return null;
    }
    if (json.isTextual()) {
      return json.asText().trim();
    }
    if (json.isIntegralNumber()) {
      String digits = json.bigIntegerValue().toString();
      if (digits.length() > MAX_NUMBER_DIGITS) {
        throw new DecodeException(path + ": a number of " + digits.length() + " digits: too long");
      }
      return digits;
    }
    if (json.isNumber()) {
      BigDecimal d = json.decimalValue();
      // Exponents make toPlainString arbitrarily long; no sender writes a tag or id that way.
      if (d.scale() < 0 || d.scale() > MAX_NUMBER_DIGITS || d.precision() > MAX_NUMBER_DIGITS) {
        throw new DecodeException(path + ": expected a string, got the number " + d);
      }
      return d.toPlainString();
    }
    throw wrongType("a string");
  }

  /** The string exactly as sent (not trimmed): a body whose bytes a signature covers. */
  String raw() throws DecodeException {
    return json != null && json.isTextual() ? json.asText() : text();
  }

  /** Like {@link #text()}, but null also for blank text and placeholders. */
  String value() throws DecodeException {
    String text = text();
    return text == null || text.isEmpty() || Text.isPlaceholder(text) ? null : text;
  }

  /** The text, which must be there and not blank; {@code what} says what it is for. */
  String require(String what) throws DecodeException {
    String text = text();
    if (text == null) {
      throw new DecodeException(path + ": missing: " + what);
    }
    if (text.isEmpty()) {
      throw new DecodeException(path + ": empty: " + what);
    }
    return text;
  }

  /** A boolean, also written as a string {@code "true"}/{@code "false"}; null when missing. */
  Boolean bool() throws DecodeException {
    if (json == null) {
      return null;
    }
    if (json.isBoolean()) {
      return json.booleanValue();
    }
    if (json.isTextual()) {
      String text = json.asText().trim().toLowerCase(Locale.ROOT);
      if (text.equals("true") || text.equals("false")) {
        return Boolean.valueOf(text);
      }
    }
    throw wrongType("true or false");
  }

  /** The field names of this object, in order; empty for anything else. */
  List<String> names() {
    List<String> names = new ArrayList<>();
    if (json != null && json.isObject()) {
      json.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  DecodeException wrongType(String expected) {
    return new DecodeException(path + ": expected " + expected + ", got " + describe(json));
  }

  private JsonNode parseInner() throws DecodeException {
    return parser.parse(json.asText(), path + " (JSON in a string)");
  }

  static String describe(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "null";
    }
    if (node.isTextual()) {
      return "the string " + Text.quote(node.asText());
    }
    if (node.isBoolean()) {
      return "the boolean " + node.booleanValue();
    }
    if (node.isNumber()) {
      return "a number";
    }
    return node.isArray() ? "an array" : "an object";
  }

  static String normalise(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '-' && c != '_') {
        out.append(Character.toLowerCase(c));
      }
    }
    return out.toString();
  }

  static String childPath(String parent, String name) {
    boolean plain = !name.isEmpty();
    for (int i = 0; i < name.length() && plain; i++) {
      char c = name.charAt(i);
      plain = Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '@' || c == '$';
    }
    return plain ? parent + "." + name : parent + "[" + Text.quote(name) + "]";
  }

  /** {@code where} followed by the segments: names and indexes. */
  static String render(String where, Iterable<Object> segments) {
    String out = where;
    for (Object segment : segments) {
      out =
          segment instanceof Integer ? out + "[" + segment + "]" : childPath(out, (String) segment);
    }
    return out;
  }
}
