package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.ImagePushed;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * rollgate's own push format, for CI jobs and scripts: {@code {"repository", "tag", "digest"}},
 * optionally {@code registry}, {@code id} and {@code time}. Being ours, it is read strictly: a
 * digest must be a sha256 digest. (The older {@link dev.rollgate.events.PlainPushDecoder} reads
 * only this format.)
 */
final class PlainDecoder implements PayloadDecoder {

  private static final Set<String> FIELDS =
      Set.of("repository", "tag", "digest", "registry", "id", "time");

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
    // Ours, so read as written: nothing is trimmed, lower-cased or stripped of a scheme.
    unpadded(repository);
    if (text.contains("://")) {
      throw new DecodeException(
          repository.path() + ": a repository, not a URL: drop the scheme, e.g. team/shop");
    }
    Images.Ref ref = Images.Ref.parse(text);
    Images.Image image = new Images.Image();
    image.where = repository.path();
    image.registry = ref.registry();
    image.repository = ref.repository();
    String registry = root.get("registry").value();
    if (registry != null) {
      // An explicit registry means the repository is a path in it, host-like first part or not.
      image.registry = registry;
      image.repository =
          ref.registry() == null ? ref.repository() : ref.registry() + "/" + ref.repository();
    }
    Node digest = root.get("digest");
    String d = digest.value();
    if (d != null) {
      image.digest(d);
      if (image.digest == null) {
        throw new DecodeException(
            digest.path()
                + ": not a sha256 digest ('sha256:' and 64 lower-case hex digits): "
                + Text.quote(d));
      }
    }
    if (ref.digest() != null) {
      if (image.digest != null && !image.digest.equals(ref.digest())) {
        throw new DecodeException(
            repository.path()
                + ": its digest "
                + Text.quote(ref.digest())
                + " disagrees with "
                + digest.path()
                + ": send one digest");
      }
      image.digest(ref.digest());
      if (image.digest == null) {
        throw new DecodeException(
            repository.path() + ": its digest is not a sha256 digest: " + Text.quote(ref.digest()));
      }
    }
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
    return (ImagePushed)
        Images.pushed("plain", payload.id(root.get("id").value()), payload.time(at), image);
  }
}
