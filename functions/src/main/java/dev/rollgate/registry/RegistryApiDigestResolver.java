package dev.rollgate.registry;

import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.DigestResolver;
import dev.rollgate.core.port.RegistryException;
import dev.rollgate.core.port.RegistryException.Kind;
import dev.rollgate.events.ImageReference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Resolves tags over the registry HTTP API v2 (the OCI distribution API) with the JDK's client: a
 * {@code HEAD} of the tag's manifest accepting OCI and Docker manifests and indexes, answered by
 * {@code Docker-Content-Digest} (a {@code GET} and the SHA-256 of the body when a registry leaves
 * it out), anonymously or through the bearer-token flow Docker Hub, Quay and GHCR use (or HTTP
 * basic).
 */
public final class RegistryApiDigestResolver implements DigestResolver {

  private static final Logger LOG = Logger.getLogger(RegistryApiDigestResolver.class.getName());

  /**
   * Indexes first: a multi-platform image is pinned by its index, not by one platform's manifest.
   */
  static final List<String> ACCEPT =
      List.of(
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json");

  private static final String DOCKER_HUB_API = "https://registry-1.docker.io";

  private final HttpClient http;
  private final Duration timeout;
  private final int attempts;
  private final Duration backoff;
  private final Clock clock;

  /** Timeouts of 10 s per request, three attempts with a backoff from 500 ms. */
  public RegistryApiDigestResolver() {
    this(Clock.system());
  }

  /** The defaults, waiting between attempts on {@code clock}. */
  public RegistryApiDigestResolver(Clock clock) {
    this(Duration.ofSeconds(10), 3, Duration.ofMillis(500), clock);
  }

  public RegistryApiDigestResolver(Duration timeout, int attempts, Duration backoff) {
    this(timeout, attempts, backoff, Clock.system());
  }

  /**
   * @param timeout for connecting and for each request
   * @param attempts how often an unavailable registry is asked in all (at least 1)
   * @param backoff the first wait between attempts, doubled each time, with jitter
   * @param clock whose pauses the waits between attempts are
   */
  public RegistryApiDigestResolver(Duration timeout, int attempts, Duration backoff, Clock clock) {
    this.clock = java.util.Objects.requireNonNull(clock, "clock");
    this.timeout = timeout;
    this.attempts = Math.max(1, attempts);
    this.backoff = backoff;
    // No redirects: an Authorization header must not follow one to another host.
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public Resolved resolve(Request request) throws RegistryException {
    Duration wait = backoff;
    for (int attempt = 1; ; attempt++) {
      try {
        return once(request);
      } catch (RegistryException e) {
        if (!e.retryable() || attempt >= attempts) {
          throw e;
        }
        long ms = Math.max(1, wait.toMillis());
        long jittered = ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1);
        LOG.warning(
            "resolving %s failed (attempt %d of %d), retrying in %dms: %s"
                .formatted(request.display(), attempt, attempts, jittered, e.getMessage()));
        try {
          clock.pause(Duration.ofMillis(jittered));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new RegistryException(Kind.UNAVAILABLE, "interrupted while waiting to retry", ie);
        }
        wait = wait.multipliedBy(2);
      }
    }
  }

  /** The API base URL: the manifest's {@code url}, Docker Hub's API host, or https://host. */
  static URI base(Request r) {
    if (r.endpoint() != null) {
      return r.endpoint();
    }
    return URI.create(isDockerHub(r.registry()) ? DOCKER_HUB_API : "https://" + r.registry());
  }

  /** The repository as the API names it: Docker Hub's official images live under library/. */
  static String name(Request r) {
    return isDockerHub(r.registry()) && !r.repository().contains("/")
        ? "library/" + r.repository()
        : r.repository();
  }

  private static boolean isDockerHub(String host) {
    return host.equals("docker.io")
        || host.equals("index.docker.io")
        || host.equals("registry-1.docker.io");
  }

  private Resolved once(Request r) throws RegistryException {
    String name = name(r);
    URI manifest = URI.create(base(r) + "/v2/" + name + "/manifests/" + r.tag());
    HttpResponse<byte[]> head = send(r, manifest, "HEAD", null);
    String authorization = null;
    if (head.statusCode() == 401) {
      authorization =
          new RegistryAuth((uri, method, auth) -> send(r, uri, method, auth))
              .authorize(r, name, manifest, head);
      head = send(r, manifest, "HEAD", authorization);
    }
    check(r, head, authorization != null, "the manifest of " + name + ":" + r.tag());
    Optional<String> digest = head.headers().firstValue("Docker-Content-Digest");
    String mediaType = mediaType(head);
    if (digest.isEmpty()) {
      // Some registries leave the digest out of HEAD answers: the digest is the body's SHA-256.
      HttpResponse<byte[]> get = send(r, manifest, "GET", authorization);
      check(r, get, authorization != null, "the manifest of " + name + ":" + r.tag());
      digest =
          Optional.of(get.headers().firstValue("Docker-Content-Digest").orElse(sha256(get.body())));
      mediaType = mediaType(get);
    }
    if (!ImageReference.isDigest(digest.get())) {
      throw new RegistryException(
          Kind.REFUSED,
          "the registry answered a digest rollgate does not pin (only sha256): '"
              + digest.get()
              + "'");
    }
    return new Resolved(digest.get(), mediaType);
  }

  private static String mediaType(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Content-Type")
        .map(t -> t.split(";", 2)[0].strip())
        .orElse(null);
  }

  /** Maps an answer about the manifest to a result or a port exception. */
  private static void check(Request r, HttpResponse<?> response, boolean authorized, String what)
      throws RegistryException {
    int status = response.statusCode();
    if (status == 200) {
      return;
    }
    String where = host(base(r));
    if (status == 404) {
      throw new RegistryException(Kind.NOT_FOUND, where + " has no " + what + " (404)");
    }
    if (status == 401 || status == 403) {
      throw new RegistryException(
          Kind.DENIED,
          where
              + " answered "
              + status
              + " for "
              + what
              + (authorized ? " even with a token" : "")
              + (r.credentials() == null ? " to anonymous access" : ""));
    }
    if (status == 429 || status >= 500) {
      throw new RegistryException(Kind.UNAVAILABLE, where + " answered " + status + " for " + what);
    }
    throw new RegistryException(Kind.REFUSED, where + " answered " + status + " for " + what);
  }

  private HttpResponse<byte[]> send(Request r, URI uri, String method, String authorization)
      throws RegistryException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", String.join(", ", ACCEPT))
            .header("User-Agent", "rollgate")
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new RegistryException(
          Kind.UNAVAILABLE,
          "cannot reach " + host(uri) + ": " + e.getClass().getSimpleName() + " " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(Kind.UNAVAILABLE, "interrupted while asking " + host(uri), e);
    }
  }

  static String host(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  private static String sha256(byte[] body) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
