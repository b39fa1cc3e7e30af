package dev.rollgate.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A container image: registry host, repository, tag and digest. Deployments are pinned by digest;
 * the tag is kept for people.
 *
 * @param registry registry host, or null when unknown
 * @param repository repository path, e.g. {@code demo/shop}
 * @param tag tag, or null
 * @param digest {@code sha256:<64 hex>}, or null until resolved
 */
public record ImageRef(String registry, String repository, String tag, String digest) {

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*");

  public ImageRef {
    Objects.requireNonNull(repository, "repository");
    if (repository.isBlank()) {
      throw new IllegalArgumentException("image repository is empty");
    }
    if (digest != null && !DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("not a sha256 digest: '" + digest + "'");
    }
  }

  /**
   * Parses {@code [registry/]repository[:tag][@sha256:...]}. The first path segment is taken as a
   * registry host when it contains a dot or a colon or is {@code localhost}. Read as written:
   * spaces around it, a URL scheme or an upper-case repository are refused, not normalised.
   *
   * @throws IllegalArgumentException when it is no image reference
   */
  public static ImageRef parse(String reference) {
    Objects.requireNonNull(reference, "reference");
    if (!reference.equals(reference.strip())) {
      throw new IllegalArgumentException("spaces around the image reference");
    }
    if (reference.contains("://")) {
      throw new IllegalArgumentException(
          "an image reference, not a URL: drop the scheme (registry/repository)");
    }
    String rest = reference;
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
    if (colon > 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    if (!REPOSITORY.matcher(rest).matches()) {
      throw new IllegalArgumentException(
          "not a repository path: lower-case letters, digits, '.', '_', '-', separated by '/'");
    }
    return new ImageRef(registry, rest, tag, digest);
  }

  /** {@code registry/repository}, or just the repository when the registry is unknown. */
  public String name() {
    return registry == null ? repository : registry + "/" + repository;
  }

  /** The reference a platform should run: pinned by digest when there is one. */
  public String pinned() {
    return digest != null ? name() + "@" + digest : name() + ":" + (tag == null ? "latest" : tag);
  }

  /** A short form for people: {@code name:tag@sha256:0123456789ab}. */
  public String display() {
    StringBuilder b = new StringBuilder(name());
    if (tag != null) {
      b.append(':').append(tag);
    }
    if (digest != null) {
      b.append('@').append(digest, 0, Math.min(digest.length(), 19));
    }
    return b.toString();
  }

  public ImageRef withTag(String newTag) {
    return new ImageRef(registry, repository, newTag, digest);
  }

  @Override
  public String toString() {
    return tag == null ? pinned() : name() + ":" + tag + (digest == null ? "" : "@" + digest);
  }
}
