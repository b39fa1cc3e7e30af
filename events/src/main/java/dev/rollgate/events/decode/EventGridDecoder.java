package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Handshake;
import dev.rollgate.events.Ignored;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Azure Event Grid events in the Event Grid schema (one object, or the array a webhook receives):
 * container registry events and the subscription validation handshake.
 */
final class EventGridDecoder implements PayloadDecoder {

  private static final String SOURCE = "azure.eventgrid";

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    if (!root.get("eventType").isText()
        || !(root.has("eventTime", "dataVersion", "metadataVersion", "topic")
            || root.has("data") && root.has("id"))) {
      return null;
    }
    String type = root.get("eventType").require("the Event Grid event's type");
    String id = payload.id(root.get("id").value());
    Instant at = payload.time(Times.at(root.get("eventTime")));
    return byType(payload, type, root.get("data").object(), id, at, root.get("topic").value());
  }

  /**
   * The trigger for an Event Grid or Azure CloudEvents event of {@code type}; a type without its
   * namespace ({@code ImagePushed}) is read as the one namespace that has it.
   */
  static List<Trigger> byType(
      Payload payload, String type, Node data, String id, Instant at, String topic)
      throws DecodeException {
    String t = type.toLowerCase(Locale.ROOT);
    String name = t.contains(".") ? t.substring(t.lastIndexOf('.') + 1) : t;
    boolean eventGrid = t.equals(name) || t.startsWith("microsoft.eventgrid.");
    boolean registry = t.equals(name) || t.startsWith("microsoft.containerregistry.");
    if (eventGrid && name.equals("subscriptionvalidationevent")) {
      String code = data.get("validationCode").require("the code to answer the validation with");
      return List.of(new Handshake(SOURCE, id, at, Map.of("validationResponse", code), Map.of()));
    }
    if (registry && AcrDecoder.handles(name)) {
      return AcrDecoder.event(payload, name, data, id, at, topic);
    }
    return List.of(
        new Ignored(SOURCE, id, at, "Event Grid event " + type + " is not a deploy trigger"));
  }
}
