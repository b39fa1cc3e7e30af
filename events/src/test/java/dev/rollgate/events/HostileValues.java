package dev.rollgate.events;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/** Values of the wrong kind, and the paths of a JSON document to put them at. */
final class HostileValues {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private HostileValues() {}

  /** A value of a random wrong kind: null, huge numbers, placeholders, deep arrays ... */
  static JsonNode of(Random random) {
    switch (random.nextInt(24)) {
      case 0:
        return NODES.nullNode();
      case 1:
        return NODES.booleanNode(random.nextBoolean());
      case 2:
        return NODES.numberNode(random.nextInt());
      case 3:
        return NODES.numberNode(new BigInteger("9".repeat(60)));
      case 4:
        return NODES.numberNode(new BigDecimal("1e999999999"));
      case 5:
        return NODES.numberNode(new BigDecimal("-1e-999999999"));
      case 6:
        return NODES.numberNode(new BigDecimal("1.10"));
      case 7:
        return NODES.textNode("");
      case 8:
        return NODES.textNode("<placeholder>");
      case 9:
        return NODES.textNode("sha256:" + "A".repeat(64));
      case 10:
        return NODES.textNode("x".repeat(5_000));
      case 11:
        return NODES.textNode("{\"a\":");
      case 12:
        return NODES.textNode("{\"Records\":" + "[".repeat(70) + "]".repeat(70) + "}");
      case 13:
        return NODES.arrayNode();
      case 14:
        return NODES.objectNode();
      case 15:
        return NODES.arrayNode().add(NODES.nullNode()).add(NODES.objectNode());
      case 16:
        return NODES.objectNode().set("", NODES.nullNode());
      case 17:
        return NODES.textNode("!!!!");
      case 18:
        return NODES.textNode(Base64.getEncoder().encodeToString(bytes(random, 40)));
      case 19:
        return NODES.textNode("0001-01-01T00:00:00Z");
      case 20:
        return NODES.textNode("2024-13-45T99:99:99Z");
      case 21:
        return NODES.textNode("\u0000\ud800");
      case 22:
        return NODES.textNode("../../etc/passwd");
      default:
        ArrayNode deep = NODES.arrayNode();
        ArrayNode at = deep;
        for (int i = 0; i < 30; i++) {
          at = at.addArray();
        }
        return deep;
    }
  }

  /** Every path in {@code node}, itself first. */
  static void collect(JsonNode node, JsonPointer at, List<JsonPointer> out) {
    out.add(at);
    if (node.isObject()) {
      node.fieldNames()
          .forEachRemaining(
              name ->
                  collect(node.get(name), at.append(JsonPointer.compile("/" + escape(name))), out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), at.append(JsonPointer.compile("/" + i)), out);
      }
    }
  }

  /** {@code root} with the value at {@code path} replaced by {@code value}. */
  static JsonNode replace(JsonNode root, JsonPointer path, JsonNode value) {
    if (path.matches()) {
      return value;
    }
    JsonNode parent = root.at(path.head());
    String last = path.last().getMatchingProperty();
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      a.set(path.last().getMatchingIndex(), value);
    }
    return root;
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  private static byte[] bytes(Random random, int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }
}
