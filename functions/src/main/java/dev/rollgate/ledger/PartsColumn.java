package dev.rollgate.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.ReleasePart;
import java.util.ArrayList;
import java.util.List;

/** A release's parts to and from the {@code deployments.parts} column (V10, JSON). */
final class PartsColumn {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PartsColumn() {}

  /** The column's value: null for an environment of one service. */
  static String write(List<ReleasePart> parts) {
    if (parts.isEmpty()) {
      return null;
    }
    ArrayNode out = JSON.createArrayNode();
    for (ReleasePart p : parts) {
      ObjectNode n = out.addObject();
      n.put("service", p.service());
      ObjectNode image = n.putObject("image");
      image.put("registry", p.image().registry());
      image.put("repository", p.image().repository());
      image.put("tag", p.image().tag());
      image.put("digest", p.image().digest());
      n.put("state", p.state().name());
      n.put("previousRevision", p.previousRevision());
      n.put("revision", p.revision());
      n.put("serviceUrl", p.serviceUrl());
      n.put("detail", p.detail());
    }
    return out.toString();
  }

  static List<ReleasePart> read(String column) {
    if (column == null) {
      return List.of();
    }
    JsonNode root;
    try {
      root = JSON.readTree(column);
    } catch (java.io.IOException e) {
      throw new LedgerException("deployments.parts is not JSON: " + e.getMessage(), e);
    }
    List<ReleasePart> parts = new ArrayList<>();
    for (JsonNode n : root) {
      JsonNode image = n.path("image");
      parts.add(
          new ReleasePart(
              n.path("service").asText(),
              new ImageRef(
                  text(image, "registry"),
                  image.path("repository").asText(),
                  text(image, "tag"),
                  text(image, "digest")),
              Phase.valueOf(n.path("state").asText()),
              text(n, "previousRevision"),
              text(n, "revision"),
              text(n, "serviceUrl"),
              text(n, "detail")));
    }
    return parts;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
