package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Ignored;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lambda's {@code Records} batches: SQS messages (the body is the event, e.g. an EventBridge event
 * a rule sent to the queue) and SNS notifications; records of other services are ignored.
 */
final class AwsRecordsDecoder implements PayloadDecoder {

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    Node records = root.get("Records");
    if (!records.isArray()) {
      return null;
    }
    List<Node> elements = records.elements();
    if (elements.isEmpty()) {
      throw new DecodeException(records.path() + ": an empty array: no records in it");
    }
    List<Trigger> out = new ArrayList<>();
    for (Node record : elements) {
      if (!record.isObject()) {
        throw record.wrongType("a record (a JSON object)");
      }
      out.addAll(record(payload, record, dispatcher));
    }
    return out;
  }

  private static List<Trigger> record(Payload payload, Node record, Dispatcher dispatcher)
      throws DecodeException {
    String service = record.get("eventSource").require("which AWS service sent the record");
    switch (service.toLowerCase(Locale.ROOT)) {
      case "aws:sqs":
        return sqs(payload, record, dispatcher);
      case "aws:sns":
        return SnsDecoder.notification(payload, record.get("Sns").object(), dispatcher);
      default:
        String id = payload.id(record.get("eventID", "messageId").value());
        Instant at = payload.time(null);
        return List.of(
            new Ignored(service, id, at, "a record from " + service + " is not a deploy trigger"));
    }
  }

  private static List<Trigger> sqs(Payload payload, Node record, Dispatcher dispatcher)
      throws DecodeException {
    String messageId = record.get("messageId").value();
    Instant sent = Times.at(record.get("attributes").object().get("SentTimestamp"));
    Node body = record.get("body");
    if (body.isObject()) {
      return dispatcher.nested(payload, body, messageId, sent);
    }
    body.require("the SQS message body, which holds the event");
    return dispatcher.bytes(
        payload, Text.utf8(body.raw()), Map.of(), messageId, sent, body.path(), true);
  }
}
