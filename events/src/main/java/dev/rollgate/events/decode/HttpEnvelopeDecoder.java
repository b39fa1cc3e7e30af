package dev.rollgate.events.decode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Delivery;
import dev.rollgate.events.Trigger;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API Gateway (REST payload 1.0, HTTP API payload 2.0) and Lambda Function URL requests: the HTTP
 * request a sender made, wrapped by AWS; the body may be base64.
 */
final class HttpEnvelopeDecoder implements PayloadDecoder {

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    if (!isEnvelope(root)) {
      return null;
    }
    Delivery inner = request(root, dispatcher);
    String where = root.get("body").path() + (isBase64(root) ? " (base64)" : "");
    return dispatcher.bytes(payload, inner.body(), inner.headers(), null, null, where, true);
  }

  /** The request inside {@code outer} if it is an HTTP envelope; null otherwise. */
  static Delivery unwrap(Delivery outer, Dispatcher dispatcher) throws DecodeException {
    byte[] body = outer.body();
    int first = 0;
    while (first < body.length && Character.isWhitespace(body[first])) {
      first++;
    }
    if (first == body.length || body[first] != '{') {
      return null;
    }
    JsonNode json;
    try {
      json = dispatcher.json().parse(body, "$");
    } catch (DecodeException e) {
      return null; // Not JSON, so not an envelope: the decoder says what is wrong with it.
    }
    Node root = new Node(json, "$", dispatcher.json());
    return isEnvelope(root) ? request(root, dispatcher) : null;
  }

  private static boolean isEnvelope(Node root) throws DecodeException {
    if (!root.isObject() || !root.get("requestContext").isObject()) {
      return false;
    }
    boolean http = root.has("httpMethod") || root.has("routeKey") || root.has("rawPath");
    String version = root.get("version").isText() ? root.get("version").text() : null;
    http |= "2.0".equals(version) || "1.0".equals(version);
    return http && (root.has("body") || root.has("headers") || root.has("isBase64Encoded"));
  }

  private static boolean isBase64(Node root) throws DecodeException {
    return Boolean.TRUE.equals(root.get("isBase64Encoded").bool());
  }

  private static Delivery request(Node root, Dispatcher dispatcher) throws DecodeException {
    Map<String, String> headers = new LinkedHashMap<>();
    Node headerNode = root.get("headers");
    if (!headerNode.isMissing() && !headerNode.isObject()) {
      throw headerNode.wrongType("an object of header names and values");
    }
    for (String name : headerNode.names()) {
      String value = headerNode.get(name).text();
      if (value != null) {
        headers.put(name, value);
      }
    }
    Node bodyNode = root.get("body");
    byte[] body;
    if (bodyNode.isMissing()) {
      body = new byte[0];
    } else if (bodyNode.isObject() || bodyNode.isArray()) {
      body = Text.utf8(bodyNode.json().toString()); // a test tool's body, sent as JSON itself
    } else if (isBase64(root)) {
      body = base64(bodyNode, dispatcher);
    } else {
      body = Text.utf8(bodyNode.raw());
    }
    return new Delivery(body, headers);
  }

  /** The bytes base64 {@code node} holds (standard or URL-safe alphabet). */
  static byte[] base64(Node node, Dispatcher dispatcher) throws DecodeException {
    String text = node.text();
    if (text == null) {
      return new byte[0];
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException standard) {
      try {
        bytes = Base64.getUrlDecoder().decode(text);
      } catch (IllegalArgumentException urlSafe) {
        throw new DecodeException(
            node.path() + ": not base64: " + Text.oneLine(standard.getMessage()));
      }
    }
    if (bytes.length > dispatcher.limits().maxBodyBytes()) {
      throw dispatcher.json().tooBig(node.path(), bytes.length);
    }
    return bytes;
  }
}
