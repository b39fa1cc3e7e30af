package dev.rollgate.events.decode;

import java.time.Instant;
import java.util.Map;

/**
 * One payload to decode and what its envelopes said about it: the headers it came with, when it was
 * received, and the id and time an envelope gave (a Pub/Sub message id, an SQS message id), used
 * when the payload itself has none.
 *
 * @param root the payload's JSON
 * @param bytes the payload's bytes, for the id of a payload without one; null for a JSON value that
 *     came inside an envelope
 * @param envelopes how many envelopes were opened to get here
 */
record Payload(
    Node root,
    byte[] bytes,
    Map<String, String> headers,
    Instant receivedAt,
    String envelopeId,
    Instant envelopeTime,
    int envelopes) {

  String header(String name) {
    String value = headers.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The payload's own id if it has one, else the envelope's, else a digest of its bytes. */
  String id(String own) {
    if (own != null && !own.isBlank() && !Text.isPlaceholder(own)) {
      return own;
    }
    if (envelopeId != null) {
      return envelopeId;
    }
    return Text.bodyId(bytes != null ? bytes : Text.utf8(root.json().toString()));
  }

  /** The payload's own time if it says, else the envelope's, else when it was received. */
  Instant time(Instant own) {
    if (own != null) {
      return own;
    }
    return envelopeTime != null ? envelopeTime : receivedAt;
  }
}
