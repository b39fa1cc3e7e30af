package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Ignored;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Notifications of the CNCF Distribution registry ({@code registry:2}) and registries built on it:
 * an {@code events} envelope of push, pull, mount and delete events. Only manifest pushes and
 * deletes are triggers; layer uploads and pulls are ignored.
 */
final class DistributionDecoder implements PayloadDecoder {

  private static final String SOURCE = "distribution";

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node events = payload.root().get("events");
    if (!events.isArray()) {
      return null;
    }
    List<Node> elements = events.elements();
    if (elements.isEmpty() || !elements.get(0).get("target").isObject()) {
      return null;
    }
    List<Trigger> out = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      out.add(event(payload, elements.get(i).object(), elements.size() == 1 ? "" : "#" + i));
    }
    return out;
  }

  private static Trigger event(Payload payload, Node event, String index) throws DecodeException {
    String action = event.get("action").require("push, pull, mount or delete");
    String own = event.get("id").value();
    // Events of one envelope without ids of their own are kept apart by their place in it.
    String id = own != null ? own : payload.id(null) + index;
    Instant at = payload.time(Times.at(event.get("timestamp")));
    Node target = event.get("target").object();
    String mediaType = target.get("mediaType").value();
    boolean manifest =
        mediaType == null
            || mediaType.toLowerCase(Locale.ROOT).contains("manifest")
            || mediaType.toLowerCase(Locale.ROOT).contains("image.index");
    String a = action.toLowerCase(Locale.ROOT);
    if (!(a.equals("push") || a.equals("delete")) || !manifest) {
      return new Ignored(
          SOURCE,
          id,
          at,
          "registry " + a + (manifest ? "" : " of a layer") + " is not a deploy trigger");
    }
    Images.Image image = new Images.Image();
    image.where = target.path();
    image.registry = event.get("request").object().get("host").value();
    image.repository = target.get("repository").require("the repository of the image");
    image.digest(target.get("digest").value()).tag(target.get("tag").value());
    return a.equals("push")
        ? Images.pushed(SOURCE, id, at, image)
        : Images.deleted(SOURCE, id, at, image);
  }
}
