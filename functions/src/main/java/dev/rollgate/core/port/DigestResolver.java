package dev.rollgate.core.port;

import java.net.URI;
import java.util.Objects;

/** Finds the digest a tag names now at its registry, so that a push without one can be pinned. */
public interface DigestResolver {

  /**
   * The digest of the manifest, or of the index for a multi-platform image, that {@code tag} names
   * at this moment.
   *
   * @throws RegistryException when the tag cannot be resolved; {@link RegistryException#retryable}
   *     says whether asking again later may help
   */
  Resolved resolve(Request request) throws RegistryException;

  /**
   * What to resolve.
   *
   * @param registry the registry host as image references name it ({@code docker.io}, {@code
   *     quay.io}, {@code localhost:5000})
   * @param endpoint the registry's API base URL, or null for {@code https://<registry>} (the
   *     implementation knows where Docker Hub's API lives)
   * @param repository the repository path as the push named it ({@code nginx}, {@code team/shop})
   * @param tag the tag to resolve
   * @param credentials the registry's credentials, or null to go anonymously
   */
  record Request(
      String registry, URI endpoint, String repository, String tag, Credentials credentials) {

    public Request {
      Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(repository, "repository");
      Objects.requireNonNull(tag, "tag");
    }

    /** {@code registry/repository:tag}, for messages. */
    public String display() {
      return registry + "/" + repository + ":" + tag;
    }
  }

  /** A user name and its password or token; the password is never printed. */
  record Credentials(String username, String password) {

    public Credentials {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Credentials[username=" + username + ", password=(hidden)]";
    }
  }

  /**
   * The answer.
   *
   * @param digest {@code sha256:<64 hex>}
   * @param mediaType the manifest's media type as the registry served it (an index for a
   *     multi-platform image), or null when it did not say
   */
  record Resolved(String digest, String mediaType) {}
}
