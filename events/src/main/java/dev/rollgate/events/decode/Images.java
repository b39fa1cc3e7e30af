package dev.rollgate.events.decode;

import dev.rollgate.events.DecodeException;
import dev.rollgate.events.ImageDeleted;
import dev.rollgate.events.ImagePushed;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What every registry decoder shares: reading image references, telling tags from digests, and
 * building the image trigger once the registry, repository, tags and digest are known.
 */
final class Images {

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  private static final Pattern HOST =
      Pattern.compile(
          "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?");
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*");

  private Images() {}

  /** A push or a delete, as far as a sender told it. */
  static final class Image {
    String registry;
    String repository;
    final List<String> tags = new ArrayList<>();
    String digest;
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
      Ref ref = Ref.parse(reference);
      if (ref == null) {
        return this;
      }
      if (registry == null) {
        registry = ref.registry;
      }
      if (repository == null) {
        repository = ref.repository;
      }
      tag(ref.tag);
      return digest(ref.digest);
    }
  }

  /** A parsed {@code [host/]repository[:tag][@digest]}; the host is kept only if it is one. */
  record Ref(String registry, String repository, String tag, String digest) {

    static Ref parse(String reference) {
      if (reference == null || reference.isBlank()) {
        return null;
      }
      String rest = reference.trim();
      int scheme = rest.indexOf("://");
      if (scheme >= 0) {
        rest = rest.substring(scheme + 3);
      }
      String digest = null;
      int at = rest.indexOf('@');
      if (at >= 0) {
        digest = rest.substring(at + 1);
        rest = rest.substring(0, at);
      }
      String registry = null;
      int slash = rest.indexOf('/');
      if (slash > 0) {
        String first = rest.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
          registry = first;
          rest = rest.substring(slash + 1);
        }
      }
      String tag = null;
      int colon = rest.lastIndexOf(':');
      if (colon >= 0) {
        tag = rest.substring(colon + 1);
        rest = rest.substring(0, colon);
      }
      return new Ref(registry, rest, tag, digest);
    }
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
    return DIGEST.matcher(v).matches() ? v : null;
  }

  /** The pushed image, after checking that it names one. */
  static Trigger pushed(String source, String id, Instant at, Image image) throws DecodeException {
    check(image, "push");
    return new ImagePushed(
        source, id, at, image.registry, image.repository, image.tags, image.digest);
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
    if (repository.length() > 255 || !REPOSITORY.matcher(repository).matches()) {
      throw new DecodeException(
          image.where
              + ": not a repository name: "
              + Text.quote(repository)
              + " (lower-case letters, digits, '.', '_', '-', separated by '/')");
    }
    image.repository = repository;
    if (image.registry != null) {
      String host = image.registry.trim().toLowerCase(Locale.ROOT);
      if (host.length() > 255 || !HOST.matcher(host).matches()) {
        throw new DecodeException(
            image.where + ": not a registry host: " + Text.quote(image.registry));
      }
      image.registry = host;
    }
    for (String tag : image.tags) {
      if (!TAG.matcher(tag).matches()) {
        throw new DecodeException(
            image.where
                + ": not an image tag: "
                + Text.quote(tag)
                + " (letters, digits, '_', '.', '-'; at most 128)");
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
