package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.Handshake;
import dev.rollgate.events.Ignored;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * GitHub webhooks: {@code package} and {@code registry_package} events of container images on GHCR,
 * the {@code ping} sent when a hook is created, and anything else (a git push) ignored. The event
 * is named by the {@code X-GitHub-Event} header, or recognised by its content.
 */
final class GitHubDecoder implements PayloadDecoder {

  private static final String SOURCE = "github";
  private static final Set<String> CONTAINER = Set.of("docker", "container");

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    String event = payload.header("X-GitHub-Event");
    if (event == null) {
      event = recognise(root);
      if (event == null) {
        return null;
      }
    }
    String id = payload.id(payload.header("X-GitHub-Delivery"));
    event = event.toLowerCase(Locale.ROOT);
    switch (event) {
      case "ping":
        Instant hooked = Times.at(root.get("hook").object().get("updated_at"));
        return List.of(new Handshake(SOURCE, id, payload.time(hooked), Map.of(), Map.of()));
      case "package":
      case "registry_package":
        return List.of(pkg(payload, root, root.get(event).object(), event, id));
      case "push":
        String ref = root.get("ref").value();
        return List.of(
            new Ignored(
                SOURCE,
                id,
                payload.time(null),
                "a git push" + (ref == null ? "" : " of " + ref) + ", not an image push"));
      default:
        return List.of(
            new Ignored(
                SOURCE,
                id,
                payload.time(null),
                "GitHub event " + Text.quote(event) + " is not a deploy trigger"));
    }
  }

  private static String recognise(Node root) throws DecodeException {
    if (root.has("zen") && root.has("hook_id")) {
      return "ping";
    }
    if (!root.get("action").isText()) {
      return root.has("ref") && root.has("before") && root.has("after") && root.has("commits")
          ? "push"
          : null;
    }
    if (root.get("registry_package").isObject()) {
      return "registry_package";
    }
    return root.get("package").isObject() ? "package" : null;
  }

  private static Trigger pkg(Payload payload, Node root, Node pkg, String event, String id)
      throws DecodeException {
    if (pkg.isMissing()) {
      throw new DecodeException(pkg.path() + ": missing: the package the event is about");
    }
    String action = root.get("action").require("published or updated").toLowerCase(Locale.ROOT);
    Node version = pkg.get("package_version").object();
    Node container = version.get("container_metadata").object();
    Instant at =
        payload.time(
            firstTime(
                version.get("updated_at"),
                version.get("created_at"),
                pkg.get("updated_at"),
                pkg.get("created_at")));
    String name = pkg.get("name").value();
    if (!isContainer(pkg, container)) {
      String type = pkg.get("package_type").value();
      return new Ignored(
          SOURCE,
          id,
          at,
          "GitHub "
              + (type == null ? "" : type + " ")
              + "package "
              + Text.quote(name)
              + " "
              + action
              + ": not a container image");
    }
    Images.Image image = new Images.Image();
    image.where = pkg.path();
    // The digest of the tag first; GitHub names a container version by its manifest digest.
    image.digest(container.get("tag").object().get("digest").value());
    image.digest(container.get("manifest").object().get("digest").value());
    image.digest(version.get("version").value());
    image.digest(version.get("name").value());
    image.tag(container.get("tag").object().get("name").value());
    image.reference(version.get("package_url").value());
    image.reference(dockerPull(version.get("installation_command").value()));
    if (image.repository == null) {
      String owner = pkg.get("owner").object().get("login").value();
      image.repository = owner == null || name == null ? name : owner + "/" + name;
    }
    if (image.repository != null) {
      // GHCR serves ghcr.io/<owner>/<name> in lower case, whatever the owner's login looks like.
      image.repository = image.repository.toLowerCase(Locale.ROOT);
    }
    if (image.registry == null) {
      image.registry = "ghcr.io";
    }
    switch (action) {
      case "published":
      case "updated":
        return Images.pushed(SOURCE, id, at, image);
      case "deleted":
        return Images.deleted(SOURCE, id, at, image);
      default:
        return new Ignored(SOURCE, id, at, event + " " + Text.quote(action) + " is not a push");
    }
  }

  private static boolean isContainer(Node pkg, Node container) throws DecodeException {
    for (String field : new String[] {"package_type", "ecosystem"}) {
      String value = pkg.get(field).value();
      if (value != null && CONTAINER.contains(value.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    String registry = pkg.get("registry").object().get("type").value();
    return registry != null && CONTAINER.contains(registry.toLowerCase(Locale.ROOT))
        || container.isObject();
  }

  private static String dockerPull(String command) {
    String prefix = "docker pull ";
    return command != null && command.startsWith(prefix)
        ? command.substring(prefix.length())
        : null;
  }

  private static Instant firstTime(Node... candidates) throws DecodeException {
    for (Node candidate : candidates) {
      Instant at = Times.at(candidate);
      if (at != null) {
        return at;
      }
    }
    return null;
  }
}
