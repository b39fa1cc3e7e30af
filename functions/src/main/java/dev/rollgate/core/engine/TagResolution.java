package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.AppSpec;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.RegistrySpec;
import dev.rollgate.core.port.DigestResolver;
import dev.rollgate.core.port.DigestResolver.Credentials;
import dev.rollgate.core.port.DigestResolver.Resolved;
import dev.rollgate.core.port.RegistryException;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.events.ImagePushed;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Pins a push that names a tag but no digest (Docker Hub, Quay, a plain tag webhook): the tag is
 * resolved once, when the push is accepted, and the deployments carry that digest from then on, so
 * a tag moved afterwards changes nothing that deploys.
 */
public final class TagResolution {

  /** What became of a push without a digest. */
  public sealed interface Outcome permits Pinned, Refused, Unavailable {}

  /**
   * The tag was resolved.
   *
   * @param push the same push with the digest the tag named
   * @param note what was resolved where, for the deployments' detail
   */
  public record Pinned(ImagePushed push, String note) implements Outcome {}

  /**
   * The tag cannot be resolved as things stand (missing tag, credentials refused): nothing deploys.
   */
  public record Refused(String reason) implements Outcome {}

  /** The registry could not be asked (unreachable, 5xx, throttled): the sender should try again. */
  public record Unavailable(String reason) implements Outcome {}

  /**
   * The senders whose pushes name tags without digests by design: Docker Hub, Quay and rollgate's
   * plain format. Every other sender always sends a digest, so a push of theirs without one is a
   * malformed event, refused rather than guessed from a tag.
   */
  public static final List<String> TAG_SENDERS = List.of("dockerhub", "quay", "plain");

  /** True when {@code push} comes from a sender that names tags without digests by design. */
  public static boolean sendsTags(ImagePushed push) {
    return TAG_SENDERS.contains(push.source());
  }

  /** True when {@code push} lacks a digest and this rollgate can resolve its tag. */
  public boolean resolves(ImagePushed push) {
    return push.digest() == null && resolver != null && sendsTags(push) && !push.tags().isEmpty();
  }

  private final Manifest manifest;
  private final SecretResolver secrets;
  private final DigestResolver resolver;

  /**
   * @param resolver the registry client, or null when this rollgate resolves no tags (pushes
   *     without a digest are then refused)
   */
  public TagResolution(Manifest manifest, SecretResolver secrets, DigestResolver resolver) {
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.resolver = resolver;
  }

  /** True when some app follows the pushed repository, so that resolving it is worth a call. */
  public boolean followed(ImagePushed push) {
    return manifest.apps().stream().anyMatch(a -> a.follows(push.registry(), push.repository()));
  }

  /** Resolves the push's first tag (the one its deployments record) to the digest it names now. */
  public Outcome resolve(ImagePushed push) {
    if (!resolves(push)) {
      throw new IllegalArgumentException("nothing to resolve in " + push);
    }
    String tag = push.tags().get(0);
    String host = push.registry();
    if (host == null) {
      List<String> hosts =
          manifest.apps().stream()
              .filter(a -> a.follows(null, push.repository()))
              .map(AppSpec::image)
              .map(i -> i.registry())
              .filter(Objects::nonNull)
              .distinct()
              .toList();
      if (hosts.size() != 1) {
        return new Refused(
            push.source()
                + " named no registry for "
                + push.repository()
                + ":"
                + tag
                + (hosts.isEmpty()
                    ? ", and no app's image names one either: write the registry in the app's"
                        + " image (registry/repository) so that the tag can be resolved there"
                    : ", and the apps that follow it name several "
                        + hosts
                        + ": send the registry with the push"));
      }
      host = hosts.get(0);
    }
    return resolveAt(push, host, push.repository(), tag);
  }

  /**
   * Resolves {@code tag} of another repository than the pushed one, at {@code registry}: what a
   * release's service that names its own {@code image} runs at the pushed tag.
   */
  public Outcome resolveCompanion(
      ImagePushed push, String registry, String repository, String tag) {
    if (resolver == null) {
      return new Refused(
          "this rollgate was assembled without a registry client, so "
              + registry
              + "/"
              + repository
              + ":"
              + tag
              + " cannot be resolved to a digest");
    }
    return resolveAt(push, registry, repository, tag);
  }

  private Outcome resolveAt(ImagePushed original, String host, String repository, String tag) {
    ImagePushed push =
        new ImagePushed(
            original.source(),
            original.id(),
            original.occurredAt(),
            host,
            repository,
            List.of(tag),
            null);
    Optional<RegistrySpec> spec = manifest.registry(host);
    Credentials credentials = null;
    if (spec.isPresent() && spec.get().username() != null) {
      Optional<String> password = secrets.resolve(spec.get().password());
      if (password.isEmpty()) {
        return new Refused(
            spec.get().passwordPath()
                + ": the secret "
                + spec.get().password()
                + " is not set, so "
                + host
                + " cannot be asked for the digest of "
                + push.repository()
                + ":"
                + tag
                + "; set it, then push again");
      }
      credentials = new Credentials(spec.get().username(), password.get());
    }
    DigestResolver.Request request =
        new DigestResolver.Request(
            host, spec.map(RegistrySpec::url).orElse(null), push.repository(), tag, credentials);
    Resolved resolved;
    try {
      resolved = resolver.resolve(request);
    } catch (RegistryException e) {
      return switch (e.kind()) {
        case UNAVAILABLE ->
            new Unavailable(
                "cannot resolve "
                    + request.display()
                    + " now: "
                    + e.getMessage()
                    + "; send it again");
        case NOT_FOUND ->
            new Refused(
                "tag "
                    + tag
                    + " of "
                    + host
                    + "/"
                    + push.repository()
                    + " does not exist at the registry ("
                    + e.getMessage()
                    + "): nothing deploys; push the tag again once it exists");
        case DENIED ->
            new Refused(
                "the registry refused to resolve "
                    + request.display()
                    + " ("
                    + e.getMessage()
                    + "): "
                    + (credentials == null
                        ? "give rollgate credentials for it in rollgate.yaml, registries." + host
                        : "check the credentials of registries." + host));
        case REFUSED -> new Refused("cannot resolve " + request.display() + ": " + e.getMessage());
      };
    }
    ImagePushed pinned =
        new ImagePushed(
            original.source(),
            original.id(),
            original.occurredAt(),
            original.registry(),
            original.repository(),
            original.tags(),
            resolved.digest(),
            original.committedAt());
    return new Pinned(
        pinned,
        "tag "
            + tag
            + " resolved at "
            + host
            + " to "
            + resolved.digest()
            + (resolved.mediaType() == null ? "" : " (" + resolved.mediaType() + ")"));
  }
}
