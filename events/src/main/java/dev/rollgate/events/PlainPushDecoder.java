package dev.rollgate.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decodes rollgate's own plain push format: {@code {"repository", "tag", "digest"}}, with optional
 * {@code registry}, {@code id} and {@code time}. Without an id, the event key is a digest of the
 * body, so a byte-identical redelivery is recognised as a duplicate.
 */
public final class PlainPushDecoder {

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final ObjectMapper JSON = new ObjectMapper();

  public ImagePushed decode(byte[] body, Instant receivedAt) throws DecodeException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new DecodeException("body: malformed JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new DecodeException("body: unreadable: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new DecodeException("$: expected a JSON object with repository, tag and digest");
    }
    String repository = text(root, "repository", true);
    String tag = text(root, "tag", false);
    String digest = text(root, "digest", false);
    if (digest != null && !DIGEST.matcher(digest).matches()) {
      throw new DecodeException(
          "$.digest: not a sha256 digest ('sha256:' and 64 lower-case hex digits): '"
              + digest
              + "'");
    }
    String registry = text(root, "registry", false);
    String id = text(root, "id", false);
    if (id == null) {
      id = "sha256:" + sha256(body);
    }
    Instant occurredAt = receivedAt;
    String time = text(root, "time", false);
    if (time != null) {
      try {
        occurredAt = Instant.parse(time);
      } catch (DateTimeParseException e) {
        throw new DecodeException("$.time: not an ISO-8601 instant: '" + time + "'");
      }
    }
    // A repository given with its registry host ("localhost:5000/shop") is split here.
    if (registry == null) {
      int slash = repository.indexOf('/');
      if (slash > 0) {
        String first = repository.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
          registry = first;
          repository = repository.substring(slash + 1);
        }
      }
    }
    return new ImagePushed(
        "plain",
        id,
        occurredAt,
        registry,
        repository,
        tag == null || tag.isBlank() ? List.of() : List.of(tag),
        digest);
  }

  private static String text(JsonNode root, String field, boolean required) throws DecodeException {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw new DecodeException("$." + field + ": missing");
      }
      return null;
    }
    if (!node.isTextual()) {
      throw new DecodeException("$." + field + ": expected a string, got " + node.getNodeType());
    }
    String value = node.asText().trim();
    if (required && value.isEmpty()) {
      throw new DecodeException("$." + field + ": empty");
    }
    return value;
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
