package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Schedule;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CloudEvents 1.0, structured ({@code specversion}, {@code type}, ... and {@code data} in the body)
 * and binary ({@code ce-*} headers, the data as the body): Eventarc's Pub/Sub and Cloud Scheduler
 * events, Azure's CloudEvents schema, Harbor's CloudEvents format.
 */
final class CloudEventDecoder implements PayloadDecoder {

  /** What the event's context attributes say; {@code data} or {@code bytes} carry the data. */
  private record Event(
      String type,
      String source,
      String id,
      Instant time,
      String subject,
      Node data,
      byte[] bytes) {}

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    if (!root.has("specversion") || !root.get("type").isText()) {
      return null;
    }
    Node data = root.get("data");
    byte[] bytes = null;
    if (data.isMissing() && root.has("data_base64")) {
      data = root.get("data_base64");
      bytes = HttpEnvelopeDecoder.base64(data, dispatcher);
    } else if (data.isText()) {
      // A JSON string is the data itself; when it holds JSON (a quirk of some SDKs), decode that.
      bytes = Text.utf8(data.raw());
    }
    Event event =
        new Event(
            root.get("type").require("the CloudEvent's type"),
            root.get("source").value(),
            root.get("id").value(),
            Times.at(root.get("time")),
            root.get("subject").value(),
            data,
            bytes);
    return route(payload, event, dispatcher);
  }

  /** A binary-mode CloudEvent: context attributes in {@code ce-*} headers, the data as the body. */
  static List<Trigger> binary(Payload raw, Dispatcher dispatcher) throws DecodeException {
    String type = raw.header("ce-type");
    if (type == null) {
      throw new DecodeException("header ce-type: missing: a CloudEvent must say its type");
    }
    Event event =
        new Event(
            type,
            raw.header("ce-source"),
            raw.header("ce-id"),
            Times.header(raw.header("ce-time"), "ce-time"),
            raw.header("ce-subject"),
            raw.root(),
            raw.bytes());
    // The data is not a binary CloudEvent again: drop the ce-* headers before decoding it.
    Map<String, String> rest = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    raw.headers()
        .forEach(
            (name, value) -> {
              if (!name.toLowerCase(Locale.ROOT).startsWith("ce-")) {
                rest.put(name, value);
              }
            });
    Payload payload =
        new Payload(
            raw.root(),
            raw.bytes(),
            rest,
            raw.receivedAt(),
            raw.envelopeId(),
            raw.envelopeTime(),
            raw.envelopes());
    return route(payload, event, dispatcher);
  }

  private static List<Trigger> route(Payload payload, Event event, Dispatcher dispatcher)
      throws DecodeException {
    String type = event.type().toLowerCase(Locale.ROOT);
    String id = payload.id(event.id());
    Instant at = payload.time(event.time());
    if (type.equals("google.cloud.pubsub.topic.v1.messagepublished")) {
      return PubSubDecoder.message(
          payload,
          data(payload, event, dispatcher).get("message").object(),
          event.id(),
          event.time(),
          dispatcher);
    }
    if (type.equals("google.cloud.scheduler.job.v1.executed")) {
      return List.of(new Schedule("gcp.cloudscheduler", id, at, job(event.source())));
    }
    if (type.startsWith("microsoft.")) {
      return EventGridDecoder.byType(
          payload, event.type(), data(payload, event, dispatcher), id, at, event.source());
    }
    if (type.startsWith("harbor.")) {
      return HarborDecoder.cloudEvent(event.type(), data(payload, event, dispatcher), id, at);
    }
    try {
      if (event.bytes() != null) {
        return dispatcher.bytes(
            payload,
            event.bytes(),
            payload.headers(),
            event.id(),
            event.time(),
            event.data().path(),
            true);
      }
      return dispatcher.nested(payload, data(payload, event, dispatcher), event.id(), event.time());
    } catch (UnknownEventException e) {
      throw new UnknownEventException(
          payload.root().path()
              + ": CloudEvent type "
              + Text.quote(event.type())
              + " (source "
              + Text.quote(event.source())
              + ") is not one rollgate knows, and its data is not an event rollgate knows either:"
              + " see docs/senders.md for the senders rollgate decodes");
    }
  }

  /** The data as JSON: parsed from the body or base64 when it came as bytes. */
  private static Node data(Payload payload, Event event, Dispatcher dispatcher)
      throws DecodeException {
    Node data = event.data();
    if (event.bytes() != null) {
      String where = data.path();
      data = new Node(dispatcher.json().parse(event.bytes(), where), where, dispatcher.json());
    }
    if (data.isMissing()) {
      throw new DecodeException(data.path() + ": missing: the CloudEvent carries no data");
    }
    return data.object();
  }

  // //cloudscheduler.googleapis.com/projects/p/locations/l/jobs/j -> projects/p/locations/l/jobs/j
  private static String job(String source) {
    if (source == null) {
      return null;
    }
    int projects = source.indexOf("projects/");
    return projects >= 0 ? source.substring(projects) : source;
  }
}
