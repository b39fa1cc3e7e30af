package dev.rollgate.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.notify.Notification;
import dev.rollgate.core.notify.NotificationEvent;
import java.time.Duration;
import java.time.Instant;

/** A {@link Notification} as the outbox stores it, and as the generic webhook sends it. */
final class NotificationJson {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private NotificationJson() {}

  static ObjectNode node(Notification n) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", n.id());
    o.put("event", n.event().key());
    o.put("app", n.app());
    o.put("environment", n.environment());
    o.put("deploymentId", n.deploymentId());
    o.put("image", n.image());
    o.put("tag", n.tag());
    o.put("digest", n.digest());
    if (n.took() != null) {
      o.put("tookSeconds", n.took().toSeconds());
    } else {
      o.putNull("tookSeconds");
    }
    o.put("reason", n.reason());
    o.put("statusUrl", n.statusUrl());
    o.put("at", n.at().toString());
    o.put("title", n.title());
    return o;
  }

  static String write(Notification n) {
    return node(n).toString();
  }

  static Notification read(String json) {
    try {
      JsonNode o = MAPPER.readTree(json);
      return new Notification(
          text(o, "id"),
          NotificationEvent.of(text(o, "event"))
              .orElseThrow(() -> new IllegalArgumentException("unknown event in " + json)),
          text(o, "app"),
          text(o, "environment"),
          text(o, "deploymentId"),
          text(o, "image"),
          text(o, "tag"),
          text(o, "digest"),
          o.path("tookSeconds").isNumber()
              ? Duration.ofSeconds(o.path("tookSeconds").asLong())
              : null,
          text(o, "reason"),
          text(o, "statusUrl"),
          Instant.parse(text(o, "at")));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a stored notification: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
