package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.ImageReference;
import dev.rollgate.events.Trigger;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Google Artifact Registry and Container Registry notifications ({@code action}, {@code digest},
 * {@code tag}, each a full image reference), as published to the {@code gcr} Pub/Sub topic.
 */
final class ArtifactRegistryDecoder implements PayloadDecoder {

  private static final String SOURCE = "gcp.artifactregistry";

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    if (!root.get("action").isText()
        || !(root.get("digest").isText() || root.get("tag").isText())
        || root.has("repository")
        || root.has("target")) {
      return null;
    }
    Node action = root.get("action");
    String a = action.require("INSERT or DELETE").toUpperCase(Locale.ROOT);
    Images.Image image = new Images.Image();
    image.where = root.path();
    ImageReference byDigest = Images.split(root.get("digest").value());
    ImageReference byTag = Images.split(root.get("tag").value());
    if (byDigest != null
        && byTag != null
        && !(Objects.equals(byDigest.registry(), byTag.registry())
            && Objects.equals(byDigest.repository(), byTag.repository()))) {
      throw new DecodeException(
          root.path()
              + ": digest and tag name different images ("
              + Text.quote(root.get("digest").text())
              + ", "
              + Text.quote(root.get("tag").text())
              + "): ambiguous");
    }
    image.reference(root.get("digest").value());
    image.reference(root.get("tag").value());
    String id = payload.id(null);
    switch (a) {
      case "INSERT":
        return List.of(Images.pushed(SOURCE, id, payload.time(null), image));
      case "DELETE":
        return List.of(Images.deleted(SOURCE, id, payload.time(null), image));
      default:
        throw new DecodeException(
            action.path()
                + ": "
                + Text.quote(a)
                + " is not an action of these notifications"
                + " (INSERT or DELETE)");
    }
  }
}
