package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Ignored;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Azure Container Registry events: the data of {@code Microsoft.ContainerRegistry.*} Event Grid and
 * CloudEvents events, and the same object as ACR's own webhooks post it.
 */
final class AcrDecoder implements PayloadDecoder {

  private static final String SOURCE = "azure.containerregistry";
  private static final Set<String> TYPES =
      Set.of("imagepushed", "imagedeleted", "chartpushed", "chartdeleted");

  static boolean handles(String name) {
    return TYPES.contains(name);
  }

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    if (!root.get("action").isText()
        || !root.get("target").isObject()
        || !(root.get("request").isObject() || root.has("timestamp"))) {
      return null;
    }
    String action = root.get("action").require("push or delete").toLowerCase(Locale.ROOT);
    String name =
        switch (action) {
          case "push" -> "imagepushed";
          case "delete" -> "imagedeleted";
          case "chart_push" -> "chartpushed";
          case "chart_delete" -> "chartdeleted";
          default -> action;
        };
    String id = payload.id(root.get("id").value());
    Instant at = payload.time(Times.at(root.get("timestamp")));
    return event(payload, name, root, id, at, null);
  }

  /** The trigger for registry event {@code name} ({@code imagepushed}, ...) with {@code data}. */
  static List<Trigger> event(
      Payload payload, String name, Node data, String id, Instant at, String topic)
      throws DecodeException {
    if (data.isMissing()) {
      throw new DecodeException(data.path() + ": missing: the registry event's data");
    }
    Node target = data.get("target").object();
    if (name.startsWith("chart")) {
      return List.of(
          new Ignored(SOURCE, id, at, "a Helm chart " + name.substring(5) + ", not an image"));
    }
    if (!name.equals("imagepushed") && !name.equals("imagedeleted")) {
      return List.of(
          new Ignored(
              SOURCE, id, at, "registry action " + Text.quote(name) + " is not a deploy trigger"));
    }
    Images.Image image = new Images.Image();
    image.where = target.path();
    image.registry = data.get("request").object().get("host").value();
    if (image.registry == null) {
      image.registry = loginServer(topic);
    }
    image.repository = target.get("repository").require("the repository of the image");
    image.digest(target.get("digest").value()).tag(target.get("tag").value());
    return List.of(
        name.equals("imagepushed")
            ? Images.pushed(SOURCE, id, at, image)
            : Images.deleted(SOURCE, id, at, image));
  }

  // .../providers/Microsoft.ContainerRegistry/registries/<name> -> <name>.azurecr.io, the default
  // login server; only used when the event does not name the host it was pushed to.
  private static String loginServer(String topic) {
    if (topic == null) {
      return null;
    }
    String marker = "/registries/";
    int i = topic.toLowerCase(Locale.ROOT).lastIndexOf(marker);
    if (i < 0 || i + marker.length() >= topic.length()) {
      return null;
    }
    return topic.substring(i + marker.length()).toLowerCase(Locale.ROOT) + ".azurecr.io";
  }
}
