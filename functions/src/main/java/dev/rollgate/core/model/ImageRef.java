package dev.rollgate.core.model;

import dev.rollgate.events.ImageReference;
import java.util.Objects;

/**
 * A container image: registry host, repository, tag and digest. Deployments are pinned by digest;
 * the tag is kept for people. References are read by the one parser the event decoders use too,
 * {@link ImageReference}.
 *
 * @param registry registry host, or null when unknown
 * @param repository repository path, e.g. {@code demo/shop}
 * @param tag tag, or null
 * @param digest {@code sha256:<64 hex>}, or null until resolved
 */
public record ImageRef(String registry, String repository, String tag, String digest) {

  public ImageRef {
    Objects.requireNonNull(repository, "repository");
    if (repository.isBlank()) {
      throw new IllegalArgumentException("image repository is empty");
    }
    if (digest != null && !ImageReference.isDigest(digest)) {
      throw new IllegalArgumentException("not a sha256 digest: '" + digest + "'");
    }
  }

  /**
   * Parses {@code [registry/]repository[:tag][@sha256:...]} strictly, as {@link
   * ImageReference#parse} does: spaces around it, a URL scheme, upper case in the registry host or
   * the repository, a malformed tag or any digest but sha256 are refused, not normalised.
   *
   * @throws IllegalArgumentException when it is no image reference
   */
  public static ImageRef parse(String reference) {
    Objects.requireNonNull(reference, "reference");
    ImageReference ref = ImageReference.parse(reference);
    return new ImageRef(ref.registry(), ref.repository(), ref.tag(), ref.digest());
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
