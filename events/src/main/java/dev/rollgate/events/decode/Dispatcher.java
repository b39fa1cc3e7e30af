package dev.rollgate.events.decode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.events.DecodeException;
import dev.rollgate.events.DecodeLimits;
import dev.rollgate.events.Delivery;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the decoder for a payload and opens envelopes: envelopes hand their contents back here, so
 * that any sender can arrive through any carrier. Internal to rollgate-events; use {@link
 * dev.rollgate.events.EventDecoder}.
 */
public final class Dispatcher {

  private static final List<PayloadDecoder> DECODERS =
      List.of(
          // Carriers first: they say nothing themselves, they hold the payload.
          new HttpEnvelopeDecoder(),
          new AwsRecordsDecoder(),
          new SnsDecoder(),
          new PubSubDecoder(),
          new CloudEventDecoder(),
          new EventGridDecoder(),
          new EventBridgeDecoder(),
          // Then senders, the more specific shapes before the looser ones.
          new GitHubDecoder(),
          new DockerHubDecoder(),
          new HarborDecoder(),
          new QuayDecoder(),
          new DistributionDecoder(),
          new AcrDecoder(),
          new ArtifactRegistryDecoder(),
          new ScheduleDecoder(),
          new PlainDecoder());

  private final Json json;

  public Dispatcher(DecodeLimits limits) {
    this.json = new Json(limits);
  }

  Json json() {
    return json;
  }

  DecodeLimits limits() {
    return json.limits();
  }

  /** Decodes one delivery: an HTTP request, a queue message or a function's event. */
  public List<Trigger> decode(byte[] body, Map<String, String> headers, Instant receivedAt)
      throws DecodeException {
    Payload start =
        new Payload(
            new Node(null, "$", json),
            body,
            Delivery.caseInsensitive(headers),
            receivedAt,
            null,
            null,
            0);
    return bytes(start, body, start.headers(), null, null, "$", false);
  }

  /** The HTTP request inside an HTTP envelope (API Gateway, Function URL); the input otherwise. */
  public Delivery unwrap(byte[] body, Map<String, String> headers) throws DecodeException {
    if (body.length > limits().maxBodyBytes()) {
      throw json.tooBig("$", body.length);
    }
    Delivery delivery = new Delivery(body, headers);
    for (int i = 0; i < limits().maxEnvelopes(); i++) {
      Delivery inner = HttpEnvelopeDecoder.unwrap(delivery, this);
      if (inner == null) {
        return delivery;
      }
      delivery = inner;
    }
    throw new DecodeException("$: more than " + limits().maxEnvelopes() + " nested envelopes");
  }

  /**
   * Decodes bytes an envelope carried. {@code where} names them in messages ({@code
   * $.Records[0].body}); {@code opened} is false only for the delivery itself.
   */
  List<Trigger> bytes(
      Payload outer,
      byte[] bytes,
      Map<String, String> headers,
      String envelopeId,
      Instant envelopeTime,
      String where,
      boolean opened)
      throws DecodeException {
    if (bytes.length > limits().maxBodyBytes()) {
      throw json.tooBig(where, bytes.length);
    }
    int envelopes = outer.envelopes() + (opened ? 1 : 0);
    checkEnvelopes(envelopes, where);
    Payload raw =
        new Payload(
            new Node(null, where, json),
            bytes,
            headers,
            outer.receivedAt(),
            envelopeId,
            envelopeTime,
            envelopes);
    List<Trigger> byHeaders = HeaderDecoders.decode(raw, this);
    if (byHeaders != null) {
      return byHeaders;
    }
    if (isBlank(bytes)) {
      throw new DecodeException(where + ": empty: expected a JSON event");
    }
    JsonNode root = json.parse(bytes, where);
    String text = root.isTextual() ? root.asText().trim() : "";
    if (text.startsWith("{") || text.startsWith("[")) {
      // JSON encoded twice: a string that holds the event.
      checkEnvelopes(envelopes + 1, where);
      byte[] inner = Text.utf8(root.asText());
      root = json.parse(inner, where + " (JSON in a string)");
      return node(
          new Payload(
              new Node(root, where, json),
              inner,
              headers,
              outer.receivedAt(),
              envelopeId,
              envelopeTime,
              envelopes + 1));
    }
    return node(
        new Payload(
            new Node(root, where, json),
            bytes,
            headers,
            outer.receivedAt(),
            envelopeId,
            envelopeTime,
            envelopes));
  }

  /** Decodes a JSON value an envelope carried (a CloudEvent's data, an EventBridge detail). */
  List<Trigger> nested(Payload outer, Node node, String envelopeId, Instant envelopeTime)
      throws DecodeException {
    checkEnvelopes(outer.envelopes() + 1, node.path());
    return node(
        new Payload(
            node,
            null,
            outer.headers(),
            outer.receivedAt(),
            envelopeId,
            envelopeTime,
            outer.envelopes() + 1));
  }

  private List<Trigger> node(Payload payload) throws DecodeException {
    Node root = payload.root();
    if (root.isArray()) {
      List<Node> elements = root.elements();
      if (elements.isEmpty()) {
        throw new DecodeException(root.path() + ": an empty array: no events in it");
      }
      List<Trigger> out = new ArrayList<>();
      for (Node element : elements) {
        if (!element.isObject()) {
          throw element.wrongType("an event (a JSON object)");
        }
        // Elements of a batch carry their own ids: they do not inherit the envelope's.
        Payload one =
            new Payload(
                element,
                null,
                payload.headers(),
                payload.receivedAt(),
                null,
                payload.envelopeTime(),
                payload.envelopes());
        addAll(out, object(one), root.path());
      }
      return out;
    }
    if (!root.isObject()) {
      throw root.wrongType("a JSON object (an event)");
    }
    List<Trigger> out = new ArrayList<>();
    addAll(out, object(payload), root.path());
    return out;
  }

  private List<Trigger> object(Payload payload) throws DecodeException {
    for (PayloadDecoder decoder : DECODERS) {
      List<Trigger> triggers = decoder.decode(payload, this);
      if (triggers != null) {
        return triggers;
      }
    }
    throw unknown(payload.root());
  }

  private void addAll(List<Trigger> out, List<Trigger> more, String where) throws DecodeException {
    if (out.size() + more.size() > limits().maxTriggers()) {
      throw new DecodeException(
          where + ": more than " + limits().maxTriggers() + " events in one delivery");
    }
    out.addAll(more);
  }

  private void checkEnvelopes(int envelopes, String where) throws DecodeException {
    if (envelopes > limits().maxEnvelopes()) {
      throw new DecodeException(
          where + ": more than " + limits().maxEnvelopes() + " envelopes nested in one another");
    }
  }

  private static UnknownEventException unknown(Node root) throws DecodeException {
    List<String> names = root.names();
    if (names.size() == 1 && root.has("validationResponse")) {
      return new UnknownEventException(
          root.path()
              + ": this is the answer to an Event Grid subscription validation, not an event:"
              + " rollgate sends it, nobody sends it to rollgate");
    }
    StringBuilder fields = new StringBuilder();
    for (int i = 0; i < Math.min(names.size(), 8); i++) {
      fields.append(i == 0 ? "" : ", ").append(Text.quote(names.get(i)));
    }
    if (names.size() > 8) {
      fields.append(", ...");
    }
    return new UnknownEventException(
        root.path()
            + ": not an event rollgate knows (fields: "
            + fields
            + "): see docs/senders.md for the senders rollgate decodes");
  }

  static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
