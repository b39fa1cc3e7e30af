package dev.rollgate.core.port;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.port.ServicePlatform.Change;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The field-by-field difference of two revisions' settings as JSON trees, for a platform's {@link
 * ServicePlatform#plan}: what serves now and what its rollout would send, each turned into JSON the
 * same way. Paths read like {@code containerDefinitions[app].image} or {@code
 * template.containers[0].env[LOG_LEVEL].value}.
 *
 * <ul>
 *   <li>A missing field, JSON null and an empty array or object are the same: absent ({@code null}
 *       in a {@link Change}).
 *   <li>Objects are compared field by field; a key that is not a plain name (a label such as {@code
 *       run.googleapis.com/launch-stage}) is written in brackets.
 *   <li>Arrays of objects that each carry a distinct {@code name} are matched by name ({@code
 *       environment[LOG_LEVEL]}), unless the array's field is {@code positional} (matched by index:
 *       {@code containers[0]}); other arrays of objects by index; arrays of plain values (a
 *       command, its arguments) as one value.
 *   <li>An object or array present on one side only is compared with an empty one, so that each of
 *       its fields is a change of its own; plain values are rendered as their text, arrays of plain
 *       values as compact JSON.
 * </ul>
 */
public final class FieldChanges {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private FieldChanges() {}

  /**
   * The changes from {@code from} to {@code to}, in the order their fields appear ({@code from}'s
   * first).
   *
   * @param positional names of array fields matched by index even when their elements are named
   */
  public static List<Change> between(JsonNode from, JsonNode to, Set<String> positional) {
    List<Change> out = new ArrayList<>();
    diff("", "", absent(from) ? null : from, absent(to) ? null : to, positional, out);
    return out;
  }

  private static void diff(
      String path, String field, JsonNode a, JsonNode b, Set<String> positional, List<Change> out) {
    if (a == null && b == null) {
      return;
    }
    // A side that is absent is compared as empty, so that each change is a field of its own.
    if (a == null && b.isContainerNode() && !(b.isArray() && scalars(b))) {
      a =
          b.isObject()
              ? JsonNodeFactory.instance.objectNode()
              : JsonNodeFactory.instance.arrayNode();
    } else if (b == null && a.isContainerNode() && !(a.isArray() && scalars(a))) {
      b =
          a.isObject()
              ? JsonNodeFactory.instance.objectNode()
              : JsonNodeFactory.instance.arrayNode();
    }
    if (a != null && b != null && a.isObject() && b.isObject()) {
      Set<String> keys = new LinkedHashSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        diff(child(path, k), k, value(a.get(k)), value(b.get(k)), positional, out);
      }
      return;
    }
    if (a != null && b != null && a.isArray() && b.isArray() && !(scalars(a) && scalars(b))) {
      Map<String, JsonNode> left = named(a);
      Map<String, JsonNode> right = named(b);
      if (!positional.contains(field) && left != null && right != null) {
        Set<String> names = new LinkedHashSet<>(left.keySet());
        names.addAll(right.keySet());
        for (String n : names) {
          diff(
              path + "[" + n + "]",
              field,
              withoutName(left.get(n)),
              withoutName(right.get(n)),
              positional,
              out);
        }
      } else {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
          diff(path + "[" + i + "]", field, value(a.get(i)), value(b.get(i)), positional, out);
        }
      }
      return;
    }
    if (a == null || b == null || !a.equals(b)) {
      out.add(new Change(path, render(a), render(b)));
    }
  }

  private static String child(String path, String key) {
    if (!PLAIN.matcher(key).matches()) {
      return path + "[" + key + "]";
    }
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Elements by their distinct {@code name}, or null when some element has none or a twin. */
  private static Map<String, JsonNode> named(JsonNode array) {
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    for (JsonNode e : array) {
      JsonNode name = e.get("name");
      if (!e.isObject()
          || name == null
          || !name.isTextual()
          || name.asText().isEmpty()
          || byName.put(name.asText(), e) != null) {
        return null;
      }
    }
    return byName;
  }

  private static JsonNode withoutName(JsonNode element) {
    if (element == null) {
      return null;
    }
    ObjectNode copy = ((ObjectNode) element).deepCopy();
    JsonNode name = copy.remove("name");
    // An element that is only a name is there or not: its name is its value.
    return copy.isEmpty() ? name : copy;
  }

  private static boolean scalars(JsonNode array) {
    for (JsonNode e : array) {
      if (e.isContainerNode()) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode value(JsonNode n) {
    return absent(n) ? null : n;
  }

  private static boolean absent(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() || (n.isContainerNode() && n.isEmpty());
  }

  private static String render(JsonNode n) {
    if (n == null) {
      return null;
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }
}
