package dev.rollgate.azure.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** JSON for the ARM fake: Jackson trees, and RFC 7396 merge patch. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** The object at {@code field}, made when missing. */
  static ObjectNode obj(ObjectNode parent, String field) {
    JsonNode n = parent.get(field);
    if (n instanceof ObjectNode o) {
      return o;
    }
    return parent.putObject(field);
  }

  /** RFC 7396: objects merge member by member, null removes, anything else replaces. */
  static void mergePatch(ObjectNode target, JsonNode patch) {
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode value = f.getValue();
      if (value.isNull()) {
        target.remove(f.getKey());
      } else if (value.isObject() && target.get(f.getKey()) instanceof ObjectNode inner) {
        mergePatch(inner, value);
      } else {
        target.set(f.getKey(), value.deepCopy());
      }
    }
  }
}
