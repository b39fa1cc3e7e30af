package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Ignored;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Harbor webhooks, in the Default payload format ({@code type}, {@code occur_at}, {@code
 * event_data}; Harbor 1.x types such as {@code pushImage} included) and the CloudEvents format
 * ({@code harbor.artifact.pushed}). One push may carry several resources: one trigger per digest.
 */
final class HarborDecoder implements PayloadDecoder {

  private static final String SOURCE = "harbor";

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    if (!root.get("type").isText() || !root.get("event_data").isObject()) {
      return null;
    }
    String type = root.get("type").require("the Harbor event type");
    Instant at = payload.time(Times.at(root.get("occur_at")));
    return event(type, root.get("event_data"), payload.id(null), at);
  }

  /** A Harbor event in the CloudEvents format: {@code harbor.artifact.pushed} and its data. */
  static List<Trigger> cloudEvent(String type, Node data, String id, Instant at)
      throws DecodeException {
    return event(type, data, id, at);
  }

  private static List<Trigger> event(String type, Node data, String id, Instant at)
      throws DecodeException {
    // PUSH_ARTIFACT, pushImage (1.x) and harbor.artifact.pushed are one event in three spellings.
    String t = type.toLowerCase(Locale.ROOT).replace("_", "").replace(".", "");
    boolean push =
        t.equals("pushartifact") || t.equals("pushimage") || t.equals("harborartifactpushed");
    boolean delete =
        t.equals("deleteartifact") || t.equals("deleteimage") || t.equals("harborartifactdeleted");
    if (!push && !delete) {
      return List.of(new Ignored(SOURCE, id, at, "Harbor " + type + " is not a deploy trigger"));
    }
    Node repository = data.get("repository").object();
    String fullName = repository.get("repo_full_name").value();
    if (fullName == null) {
      String namespace = repository.get("namespace").value();
      String name = repository.get("name").require("the repository's name");
      fullName = namespace == null ? name : namespace + "/" + name;
    }
    Map<String, Images.Image> byDigest = new LinkedHashMap<>();
    List<Node> resources = data.get("resources").elements();
    if (resources.isEmpty()) {
      throw new DecodeException(data.get("resources").path() + ": missing: the pushed artifacts");
    }
    for (Node resource : resources) {
      Images.Image one = new Images.Image();
      one.where = resource.path();
      one.digest(resource.get("digest").value());
      one.reference(resource.get("resource_url").value());
      String key = one.digest != null ? one.digest : "resource " + resource.path();
      Images.Image image = byDigest.computeIfAbsent(key, k -> one);
      image.tag(resource.get("tag").value());
      image.tags.addAll(one.tags.stream().filter(tag -> !image.tags.contains(tag)).toList());
      image.repository = fullName;
    }
    List<Trigger> out = new ArrayList<>();
    int n = 0;
    for (Images.Image image : byDigest.values()) {
      String one = byDigest.size() == 1 ? id : id + "#" + n++;
      out.add(
          push ? Images.pushed(SOURCE, one, at, image) : Images.deleted(SOURCE, one, at, image));
    }
    return out;
  }
}
