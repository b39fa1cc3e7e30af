package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Ignored;
import dev.rollgate.events.Trigger;
import java.util.List;

/**
 * Quay repository notifications: a push ({@code updated_tags}) is a trigger; build and security
 * notifications are ignored. Quay signs nothing; its endpoint is authenticated by a secret token in
 * the URL.
 */
final class QuayDecoder implements PayloadDecoder {

  private static final String SOURCE = "quay";

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    if (!root.get("docker_url").isText() || !root.get("repository").isText()) {
      return null;
    }
    String id = payload.id(null);
    Node updated = root.get("updated_tags");
    if (updated.isMissing()) {
      String what = root.has("build_id") ? "a Quay build notification" : "a Quay notification";
      return List.of(new Ignored(SOURCE, id, payload.time(null), what + ", not a push"));
    }
    Images.Image image = new Images.Image();
    image.where = root.path();
    image.reference(root.get("docker_url").value());
    if (image.repository == null) {
      image.repository = root.get("repository").value();
    }
    image.tags.clear(); // docker_url names the repository; the tags are in updated_tags
    if (updated.isObject()) {
      // Quay's first payloads mapped each tag to its image id: {"latest": "b750fe..."}.
      updated.names().forEach(image::tag);
    } else {
      for (Node tag : updated.elements()) {
        image.tag(tag.value());
      }
    }
    return List.of(Images.pushed(SOURCE, id, payload.time(null), image));
  }
}
