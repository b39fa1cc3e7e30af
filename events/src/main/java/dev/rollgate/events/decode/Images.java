package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.ImageDeleted;
import dev.rollgate.events.ImagePushed;
import dev.rollgate.events.ImageReference;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What every registry decoder shares: reading image references, telling tags from digests, and
 * building the image trigger once the registry, repository, tags and digest are known.
 */
final class Images {

  private Images() {}

  /** A push or a delete, as far as a sender told it. */
  static final class Image {
    String registry;
    String repository;
    final List<String> tags = new ArrayList<>();
    String digest;
    // When the commit behind the image was made, if the sender says.
    Instant committedAt;
    // Where the repository was read, for messages.
    String where = "$";

    /** Adds a tag; a tag that is really a digest becomes the digest, blanks are dropped. */
    Image tag(String tag) {
      if (tag == null || tag.isBlank() || Text.isPlaceholder(tag)) {
        return this;
      }
      String t = tag.trim();
      if (looksLikeDigest(t)) {
        return digest(t);
      }
      if (!tags.contains(t)) {
        tags.add(t);
      }
      return this;
    }

    /**
     * Sets the digest if it is a sha256 digest; anything else there (a placeholder, a digest cut
     * short in documentation) leaves it unknown rather than pinning a digest that cannot exist.
     */
    Image digest(String candidate) {
      String d = normaliseDigest(candidate);
      if (d != null && digest == null) {
        digest = d;
      }
      return this;
    }

    /** Sets registry, repository, tag and digest from a reference, first value wins. */
    Image reference(String reference) {
      ImageReference ref = split(reference);
      if (ref == null) {
        return this;
      }
      if (registry == null) {
        registry = ref.registry();
      }
      if (repository == null) {
        repository = ref.repository();
      }
      tag(ref.tag());
      return digest(ref.digest());
    }
  }

  /**
   * A sender's {@code [scheme://][host/]repository[:tag][@digest]}, trimmed and without its scheme,
   * split by {@link ImageReference#split}; unchecked (see {@link #check}). Null when blank.
   */
  static ImageReference split(String reference) {
    if (reference == null || reference.isBlank()) {
      return null;
    }
    String rest = reference.trim();
    int scheme = rest.indexOf("://");
    if (scheme >= 0) {
      rest = rest.substring(scheme + 3);
    }
    return ImageReference.split(rest);
  }

  static boolean looksLikeDigest(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    return v.startsWith("sha256:") || v.startsWith("sha512:") || v.startsWith("@sha256:");
  }

  /** {@code sha256:<64 lower-case hex>}, or null when {@code value} is not such a digest. */
  static String normaliseDigest(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    int at = v.lastIndexOf('@');
    if (at >= 0) {
      v = v.substring(at + 1);
    }
    v = v.toLowerCase(Locale.ROOT);
    return ImageReference.isDigest(v) ? v : null;
  }

  /** The pushed image, after checking that it names one. */
  static Trigger pushed(String source, String id, Instant at, Image image) throws DecodeException {
    check(image, "push");
    return new ImagePushed(
        source,
        id,
        at,
        image.registry,
        image.repository,
        image.tags,
        image.digest,
        image.committedAt);
  }

  /** The deleted image, after checking that it names one. */
  static Trigger deleted(String source, String id, Instant at, Image image) throws DecodeException {
    check(image, "delete");
    return new ImageDeleted(
        source, id, at, image.registry, image.repository, image.tags, image.digest);
  }

  private static void check(Image image, String what) throws DecodeException {
    if (image.repository == null || image.repository.isBlank()) {
      throw new DecodeException(image.where + ": missing: the repository of the " + what);
    }
    String repository = image.repository.trim();
    // Registries refuse upper case: a sender that writes it (GHCR's owner logins) lower-cases it
    // itself where that is documented; anything else is refused rather than silently rewritten.
    if (!ImageReference.isRepository(repository)) {
      throw new DecodeException(
          image.where
              + ": not a repository name: "
              + Text.quote(repository)
              + " ("
              + ImageReference.REPOSITORY_RULE
              + ")");
    }
    image.repository = repository;
    if (image.registry != null) {
      String host = image.registry.trim().toLowerCase(Locale.ROOT);
      if (!ImageReference.isRegistry(host)) {
        throw new DecodeException(
            image.where
                + ": not a registry host: "
                + Text.quote(image.registry)
                + " ("
                + ImageReference.REGISTRY_RULE
                + ")");
      }
      image.registry = host;
    }
    for (String tag : image.tags) {
      if (!ImageReference.isTag(tag)) {
        throw new DecodeException(
            image.where
                + ": not an image tag: "
                + Text.quote(tag)
                + " ("
                + ImageReference.TAG_RULE
                + ")");
      }
    }
    if (image.tags.isEmpty() && image.digest == null) {
      throw new DecodeException(
          image.where
              + ": the "
              + what
              + " of "
              + image.repository
              + " names neither a tag nor a sha256 digest, so it names no image");
    }
  }
}
