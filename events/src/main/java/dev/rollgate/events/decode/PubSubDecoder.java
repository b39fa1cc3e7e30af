package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Google Pub/Sub messages, whose base64 {@code data} is the event (an Artifact Registry
 * notification from the {@code gcr} topic): a push subscription's envelope, a legacy background
 * function event, or the bare message.
 */
final class PubSubDecoder implements PayloadDecoder {

  private static final String MESSAGE_TYPE = "google.pubsub.v1.PubsubMessage";

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    Node message = root.get("message");
    if (message.isObject()
        && (root.has("subscription")
            || message.has("data", "messageId", "attributes", "publishTime"))) {
      return message(payload, message, null, null, dispatcher);
    }
    Node context = root.get("context");
    if (context.isObject() && mentionsPubSub(context.get("eventType"))) {
      // Cloud Functions (1st gen) background event: {context: {eventId, timestamp}, data}.
      return message(
          payload,
          root.get("data").object(),
          context.get("eventId").value(),
          Times.at(context.get("timestamp")),
          dispatcher);
    }
    if (mentionsPubSub(root.get("eventType")) && root.get("data").isObject()) {
      // The oldest background event shape: {eventId, timestamp, eventType, resource, data}.
      return message(
          payload,
          root.get("data"),
          root.get("eventId").value(),
          Times.at(root.get("timestamp")),
          dispatcher);
    }
    String type = root.get("@type").isText() ? root.get("@type").text() : "";
    if (type.endsWith(MESSAGE_TYPE)) {
      return message(payload, root, null, null, dispatcher);
    }
    return null;
  }

  /** Decodes the event a Pub/Sub message carries; the envelope's id and time are fallbacks. */
  static List<Trigger> message(
      Payload payload, Node message, String envelopeId, Instant envelopeTime, Dispatcher dispatcher)
      throws DecodeException {
    if (message.isMissing()) {
      throw new DecodeException(message.path() + ": missing: the Pub/Sub message");
    }
    String id = message.get("messageId").value();
    Instant at = Times.at(message.get("publishTime"));
    id = id != null ? id : envelopeId;
    at = at != null ? at : envelopeTime;
    Map<String, String> attributes = new LinkedHashMap<>();
    Node attributeNode = message.get("attributes").object();
    for (String name : attributeNode.names()) {
      String value = attributeNode.get(name).text();
      if (value != null) {
        attributes.put(name, value);
      }
    }
    Node data = message.get("data");
    if (data.isObject()) {
      return dispatcher.nested(payload, data, id, at);
    }
    if (data.value() == null) {
      throw new DecodeException(
          data.path() + ": missing: the Pub/Sub message carries no data, so no event");
    }
    byte[] bytes = HttpEnvelopeDecoder.base64(data, dispatcher);
    return dispatcher.bytes(payload, bytes, attributes, id, at, data.path() + " (base64)", true);
  }

  private static boolean mentionsPubSub(Node eventType) throws DecodeException {
    return eventType.isText() && eventType.text().contains("pubsub");
  }
}
