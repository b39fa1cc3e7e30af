package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Ignored;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * SNS notifications: as an HTTP(S) subscription or SQS subscription (without raw delivery) receives
 * them, and as the {@code Sns} object of a Lambda record. The message is the event.
 */
final class SnsDecoder implements PayloadDecoder {

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    if (!root.get("Type").isText() || !root.has("TopicArn") || !root.has("MessageId")) {
      return null;
    }
    return notification(payload, root, dispatcher);
  }

  static List<Trigger> notification(Payload payload, Node sns, Dispatcher dispatcher)
      throws DecodeException {
    if (sns.isMissing()) {
      throw new DecodeException(sns.path() + ": missing: the SNS notification of the record");
    }
    String type = sns.get("Type").require("Notification or SubscriptionConfirmation");
    String messageId = sns.get("MessageId").value();
    Instant at = Times.at(sns.get("Timestamp"));
    if (type.equals("SubscriptionConfirmation") || type.equals("UnsubscribeConfirmation")) {
      String topic = sns.get("TopicArn").value();
      return List.of(
          new Ignored(
              "aws.sns",
              payload.id(messageId),
              payload.time(at),
              "SNS "
                  + type
                  + " for "
                  + (topic == null ? "a topic" : topic)
                  + ": rollgate does not confirm subscriptions by itself; open the SubscribeURL"
                  + " of this message to confirm, or subscribe through Lambda or SQS instead"));
    }
    if (!type.equals("Notification")) {
      throw new DecodeException(
          sns.get("Type").path()
              + ": "
              + Text.quote(type)
              + " is not an SNS message type (Notification, SubscriptionConfirmation)");
    }
    Node message = sns.get("Message");
    if (message.isObject()) {
      return dispatcher.nested(payload, message, messageId, at);
    }
    message.require("the SNS message, which holds the event");
    return dispatcher.bytes(
        payload, Text.utf8(message.raw()), Map.of(), messageId, at, message.path(), true);
  }
}
