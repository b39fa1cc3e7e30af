package dev.rollgate.events;

import java.util.regex.Pattern;

/**
 * rollgate's one reading of a container image reference, {@code
 * [registry/]repository[:tag][@sha256:<64 hex>]}, shared by the event decoders and the core. The
 * first path segment is the registry host when it contains a dot or a colon or is {@code
 * localhost}; otherwise the registry is unknown (null: a Docker Hub short name such as {@code
 * nginx} is kept as written, not expanded to {@code docker.io/library/nginx}).
 *
 * <p>{@link #parse} reads strictly, as written: no spaces around it, no URL scheme, a lower-case
 * registry host (with an optional port), a lower-case repository path, a tag of at most 128
 * letters, digits, '_', '.', '-', and only a sha256 digest ({@code sha256:} and 64 lower-case hex
 * digits). Its messages name the rule and the fix, never the reference: callers quote it where they
 * know how to.
 *
 * @param registry registry host, e.g. {@code localhost:5000}, or null when unknown
 * @param repository repository path, e.g. {@code team/shop}
 * @param tag tag, or null
 * @param digest digest, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

  /** The most a registry host or a repository path may hold. */
  public static final int MAX_NAME = 255;

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  private static final Pattern HOST =
      Pattern.compile(
          "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?");
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*");

  /** What a registry host must look like, for messages. */
  public static final String REGISTRY_RULE =
      "a lower-case host name with an optional :port, e.g. localhost:5000";

  /** What a repository must look like, for messages. */
  public static final String REPOSITORY_RULE =
      "lower-case letters, digits, '.', '_', '-', separated by '/'";

  /** What a tag must look like, for messages. */
  public static final String TAG_RULE = "letters, digits, '_', '.', '-'; at most 128";

  /** What a digest must look like, for messages. */
  public static final String DIGEST_RULE = "'sha256:' and 64 lower-case hex digits";

  /** A reference {@link #parse} refuses: what is wrong with it and how to fix it. */
  public static final class Invalid extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String problem;
    private final String fix;

    Invalid(String problem, String fix) {
      super(problem + ": " + fix);
      this.problem = problem;
      this.fix = fix;
    }

    /** What is wrong, e.g. {@code not a repository name}. */
    public String problem() {
      return problem;
    }

    /** What a valid one looks like. */
    public String fix() {
      return fix;
    }
  }

  /**
   * Reads {@code reference} strictly, as written.
   *
   * @throws Invalid naming the broken rule and its fix, when it is no image reference
   */
  public static ImageReference parse(String reference) {
    if (reference == null || reference.isBlank()) {
      throw new Invalid("empty image reference", "name registry/repository");
    }
    if (!reference.equals(reference.strip())) {
      throw new Invalid("spaces around the image reference", "remove them");
    }
    if (reference.contains("://")) {
      throw new Invalid("an image reference, not a URL", "drop the scheme (registry/repository)");
    }
    ImageReference ref = split(reference);
    if (ref.registry != null && !isRegistry(ref.registry)) {
      throw new Invalid("not a registry host", REGISTRY_RULE);
    }
    if (ref.repository.isEmpty()) {
      throw new Invalid("empty repository name", "name registry/repository");
    }
    if (!isRepository(ref.repository)) {
      throw new Invalid("not a repository name", REPOSITORY_RULE);
    }
    if (ref.tag != null && !isTag(ref.tag)) {
      throw new Invalid("not an image tag after ':'", TAG_RULE);
    }
    if (ref.digest != null && !isDigest(ref.digest)) {
      throw new Invalid("not a sha256 digest after '@'", DIGEST_RULE);
    }
    return ref;
  }

  /**
   * Splits {@code reference} into its parts without checking them: what a sender wrote, to be
   * normalised and checked by the caller. Parts that are absent are null; the repository is never
   * null (it may be empty).
   */
  public static ImageReference split(String reference) {
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
    if (colon >= 0 && colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  /** {@code sha256:} and 64 lower-case hex digits: the only digest rollgate pins. */
  public static boolean isDigest(String value) {
    return value != null && DIGEST.matcher(value).matches();
  }

  /** A tag: a letter, digit or '_', then up to 127 letters, digits, '_', '.', '-'. */
  public static boolean isTag(String value) {
    return value != null && TAG.matcher(value).matches();
  }

  /** A lower-case host name or IPv4 address, with an optional port, of at most 255. */
  public static boolean isRegistry(String value) {
    return value != null && value.length() <= MAX_NAME && HOST.matcher(value).matches();
  }

  /** Lower-case path components separated by '/', of at most 255. */
  public static boolean isRepository(String value) {
    return value != null && value.length() <= MAX_NAME && REPOSITORY.matcher(value).matches();
  }
}
