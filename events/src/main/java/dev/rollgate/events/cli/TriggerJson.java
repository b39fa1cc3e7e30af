package dev.rollgate.events.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.events.Handshake;
import dev.rollgate.events.Ignored;
import dev.rollgate.events.ImageDeleted;
import dev.rollgate.events.ImagePushed;
import dev.rollgate.events.Schedule;
import dev.rollgate.events.Trigger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Triggers as the CLI prints them: {@code kind}, {@code source}, {@code id}, {@code occurredAt},
 * then what the kind carries; two-space indented, fields in a fixed order.
 */
public final class TriggerJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TriggerJson() {}

  /** The JSON array of {@code triggers}. */
  public static ArrayNode toJson(List<Trigger> triggers) {
    ArrayNode array = MAPPER.createArrayNode();
    for (Trigger trigger : triggers) {
      array.add(toJson(trigger));
    }
    return array;
  }

  /** One trigger as a JSON object. */
  public static ObjectNode toJson(Trigger trigger) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("kind", trigger.kind());
    o.put("source", trigger.source());
    o.put("id", trigger.id());
    o.put("occurredAt", trigger.occurredAt().toString());
    if (trigger instanceof ImagePushed p) {
      image(o, p.registry(), p.repository(), p.tags(), p.digest());
      if (p.committedAt() != null) {
        o.put("committedAt", p.committedAt().toString());
      }
    } else if (trigger instanceof ImageDeleted d) {
      image(o, d.registry(), d.repository(), d.tags(), d.digest());
    } else if (trigger instanceof Schedule s) {
      o.put("name", s.name());
    } else if (trigger instanceof Handshake h) {
      o.set("response", map(h.response()));
      if (!h.responseHeaders().isEmpty()) {
        o.set("responseHeaders", map(h.responseHeaders()));
      }
    } else if (trigger instanceof Ignored i) {
      o.put("reason", i.reason());
    }
    return o;
  }

  /** {@code json} two-space indented, one field or element per line, ending with a newline. */
  public static String pretty(JsonNode json) {
    StringBuilder out = new StringBuilder();
    write(json, "", out);
    return out.append('\n').toString();
  }

  private static void image(
      ObjectNode o, String registry, String repository, List<String> tags, String digest) {
    o.put("registry", registry);
    o.put("repository", repository);
    ArrayNode array = o.putArray("tags");
    tags.forEach(array::add);
    o.put("digest", digest);
  }

  private static ObjectNode map(Map<String, String> values) {
    ObjectNode o = MAPPER.createObjectNode();
    new TreeMap<>(values).forEach(o::put);
    return o;
  }

  private static void write(JsonNode node, String indent, StringBuilder out) {
    String inner = indent + "  ";
    if (node.isObject() && !node.isEmpty()) {
      out.append("{\n");
      Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        out.append(inner).append(scalar(MAPPER.getNodeFactory().textNode(field.getKey())));
        out.append(": ");
        write(field.getValue(), inner, out);
        out.append(fields.hasNext() ? ",\n" : "\n");
      }
      out.append(indent).append('}');
    } else if (node.isArray() && !node.isEmpty()) {
      out.append("[\n");
      for (int i = 0; i < node.size(); i++) {
        out.append(inner);
        write(node.get(i), inner, out);
        out.append(i + 1 < node.size() ? ",\n" : "\n");
      }
      out.append(indent).append(']');
    } else {
      out.append(scalar(node));
    }
  }

  private static String scalar(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON value always serialises", e);
    }
  }
}
