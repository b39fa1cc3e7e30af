package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.ImagePushed;
import dev.rollgate.events.ImageReference;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * rollgate's own push format, for CI jobs and scripts: {@code {"repository", "tag", "digest"}},
 * optionally {@code registry}, {@code id}, {@code time} and {@code commitTime} (when the commit the
 * image was built from was made, e.g. {@code git log -1 --format=%cI}). Being ours, it is read
 * strictly: a digest must be a sha256 digest. (The older {@link
 * dev.rollgate.events.PlainPushDecoder} reads only this format.)
 */
final class PlainDecoder implements PayloadDecoder {

  private static final Set<String> FIELDS =
      Set.of("repository", "tag", "digest", "registry", "id", "time", "commitTime");

  @Override
  public List<Trigger> decode(Payload payload, Dispatcher dispatcher) throws DecodeException {
    Node root = payload.root();
    boolean ours = root.get("repository").isText();
    if (!ours && root.has("repository")) {
      ours = FIELDS.containsAll(root.names()); // ours, with a field of the wrong type
    }
    if (!ours) {
      return null;
    }
    return List.of(push(payload));
  }

  /** Refuses a string with spaces around it: ours is read as written, not silently trimmed. */
  private static void unpadded(Node node) throws DecodeException {
    if (node.json() != null && node.json().isTextual()) {
      String raw = node.json().asText();
      if (!raw.isEmpty() && !raw.equals(raw.strip())) {
        throw new DecodeException(node.path() + ": spaces around " + Text.quote(raw));
      }
    }
  }

  private static ImagePushed push(Payload payload) throws DecodeException {
    Node root = payload.root();
    Node repository = root.get("repository");
    if (!repository.isMissing() && !repository.isText()) {
      throw repository.wrongType("a string, e.g. team/shop");
    }
    String text = repository.require("the image repository, e.g. team/shop");
    // Ours, so read as written by the one strict parser: nothing trimmed, lower-cased or unschemed.
    unpadded(repository);
    ImageReference ref;
    try {
      ref = ImageReference.parse(text);
    } catch (ImageReference.Invalid e) {
      throw new DecodeException(
          repository.path() + ": " + e.problem() + ": " + Text.quote(text) + " (" + e.fix() + ")");
    }
    Images.Image image = new Images.Image();
    image.where = repository.path();
    image.registry = ref.registry();
    image.repository = ref.repository();
    Node registryNode = root.get("registry");
    unpadded(registryNode);
    String registry = registryNode.value();
    if (registry != null) {
      if (!ImageReference.isRegistry(registry)) {
        throw new DecodeException(
            registryNode.path()
                + ": not a registry host: "
                + Text.quote(registry)
                + " ("
                + ImageReference.REGISTRY_RULE
                + ")");
      }
      // An explicit registry means the repository is a path in it, host-like first part or not.
      image.registry = registry;
      image.repository =
          ref.registry() == null ? ref.repository() : ref.registry() + "/" + ref.repository();
    }
    Node digest = root.get("digest");
    unpadded(digest);
    String d = digest.value();
    if (d != null && !ImageReference.isDigest(d)) {
      throw new DecodeException(
          digest.path()
              + ": not a sha256 digest: "
              + Text.quote(d)
              + " ("
              + ImageReference.DIGEST_RULE
              + ")");
    }
    if (d != null && ref.digest() != null && !d.equals(ref.digest())) {
      throw new DecodeException(
          repository.path()
              + ": its digest "
              + Text.quote(ref.digest())
              + " disagrees with "
              + digest.path()
              + ": send one digest");
    }
    image.digest(d != null ? d : ref.digest());
    Node tag = root.get("tag");
    unpadded(tag);
    String t = tag.value();
    if (t != null && Images.looksLikeDigest(t)) {
      throw new DecodeException(tag.path() + ": a digest, not a tag: send it as digest");
    }
    if (ref.tag() != null && t != null && !t.equals(ref.tag())) {
      throw new DecodeException(
          repository.path()
              + ": its tag "
              + Text.quote(ref.tag())
              + " disagrees with "
              + tag.path()
              + " "
              + Text.quote(t)
              + ": send one tag");
    }
    image.tag(t != null ? t : ref.tag());
    Instant at = Times.at(root.get("time"));
    image.committedAt = Times.at(root.get("commitTime"));
    return (ImagePushed)
        Images.pushed("plain", payload.id(root.get("id").value()), payload.time(at), image);
  }
}
