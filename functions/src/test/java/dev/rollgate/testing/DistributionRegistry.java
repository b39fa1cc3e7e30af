package dev.rollgate.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real CNCF Distribution registry (Debian's {@code docker-registry}, Distribution 2.8) on a free
 * port over a temporary directory, and a client that uploads images through the registry HTTP API
 * v2 the way {@code docker push} does: blobs by {@code POST .../blobs/uploads/} and {@code PUT
 * ?digest=}, manifests and indexes by {@code PUT .../manifests/<reference>}. Fails, never skips,
 * when the binary is missing, saying how to install it.
 */
public final class DistributionRegistry implements AutoCloseable {

  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /** What is missing and how to install it, for the message when the binary is absent. */
  static String install(String path) {
    return "the registry tests need Debian's docker-registry package (the CNCF Distribution"
        + " registry 2.8), and no 'docker-registry' binary is on the PATH ("
        + path
        + "). Install it with: apt-get install docker-registry   (or set"
        + " ROLLGATE_DOCKER_REGISTRY to the path of a Distribution 2.8 'registry' binary)";
  }

  private final Process process;
  private final URI endpoint;
  private final Path log;
  private final Function<String, String> pushToken;
  private final HttpClient http = HttpClient.newHttpClient();

  private DistributionRegistry(
      Process process, URI endpoint, Path log, Function<String, String> pushToken) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
    this.pushToken = pushToken;
  }

  /** An open registry: anyone may pull and push. */
  public static DistributionRegistry start(Path dir) throws IOException {
    return start(dir, null);
  }

  /**
   * A registry behind token authentication ({@code auth.token}): it trusts tokens signed by {@code
   * realm}'s certificate and sends clients there; the harness uploads with tokens the realm mints.
   */
  public static DistributionRegistry start(Path dir, TokenRealm realm) throws IOException {
    Path binary = binary(System.getenv());
    int port = freePort();
    Files.createDirectories(dir.resolve("data"));
    StringBuilder config =
        new StringBuilder(
            """
            version: 0.1
            log:
              level: info
            storage:
              filesystem:
                rootdirectory: %s
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:%d
              secret: rollgate-test-upload-secret
            """
                .formatted(dir.resolve("data"), port));
    if (realm != null) {
      config.append(
          """
          auth:
            token:
              realm: %s
              service: %s
              issuer: %s
              rootcertbundle: %s
          """
              .formatted(
                  realm.realm(), TokenRealm.SERVICE, TokenRealm.ISSUER, realm.certificate(dir)));
    }
    Path file = dir.resolve("config.yml");
    Files.writeString(file, config);
    Path log = dir.resolve("registry.log");
    Process p =
        new ProcessBuilder(binary.toString(), "serve", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    DistributionRegistry registry =
        new DistributionRegistry(
            p, endpoint, log, realm == null ? null : scope -> realm.mint("harness", scope));
    registry.awaitReady();
    return registry;
  }

  /** The binary: ROLLGATE_DOCKER_REGISTRY, else docker-registry on the PATH. */
  static Path binary(Map<String, String> env) {
    String given = env.get("ROLLGATE_DOCKER_REGISTRY");
    if (given != null && !given.isBlank()) {
      Path p = Path.of(given);
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException(
            "ROLLGATE_DOCKER_REGISTRY="
                + given
                + " is not an executable file; "
                + install(env.getOrDefault("PATH", "")));
      }
      return p;
    }
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "docker-registry");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(install(path));
  }

  private void awaitReady() throws IOException {
    Instant deadline = Instant.now().plusSeconds(15);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "docker-registry exited with " + process.exitValue() + " at start:\n" + logText());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(endpoint.resolve("/v2/"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200 || r.statusCode() == 401) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for docker-registry", e);
      }
      try {
        process.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for docker-registry", e);
      }
    }
    close();
    throw new IllegalStateException(
        "docker-registry did not answer /v2/ at " + endpoint + " within 15 s:\n" + logText());
  }

  public URI endpoint() {
    return endpoint;
  }

  /** {@code 127.0.0.1:<port>}, the registry host image references name. */
  public String host() {
    return endpoint.getAuthority();
  }

  /** What the registry logged, for failure messages. */
  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Uploads a single-platform image (an OCI manifest over a config and one layer whose bytes are
   * unique to {@code content}) under {@code tag}.
   *
   * @return the manifest's digest, the SHA-256 of the bytes uploaded
   */
  public String pushImage(String repository, String tag, String content) throws IOException {
    return pushImage(repository, tag, content, "amd64", OCI_MANIFEST);
  }

  /**
   * As {@link #pushImage(String, String, String)}, for one architecture, in an OCI or Docker type.
   */
  public String pushImage(
      String repository, String tag, String content, String architecture, String mediaType)
      throws IOException {
    boolean oci = mediaType.equals(OCI_MANIFEST);
    byte[] layer =
        ("layer of " + content + " for " + architecture).getBytes(StandardCharsets.UTF_8);
    byte[] config =
        ("{\"architecture\":\"%s\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"%s\"]},\"config\":{\"Labels\":{\"content\":\"%s\"}}}")
            .formatted(architecture, sha256(layer), content)
            .getBytes(StandardCharsets.UTF_8);
    String layerDigest = pushBlob(repository, layer);
    String configDigest = pushBlob(repository, config);
    String manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\","
                + "\"digest\":\"%s\",\"size\":%d},\"layers\":[{\"mediaType\":\"%s\","
                + "\"digest\":\"%s\",\"size\":%d}]}")
            .formatted(
                mediaType,
                oci
                    ? "application/vnd.oci.image.config.v1+json"
                    : "application/vnd.docker.container.image.v1+json",
                configDigest,
                config.length,
                oci
                    ? "application/vnd.oci.image.layer.v1.tar+gzip"
                    : "application/vnd.docker.image.rootfs.diff.tar.gzip",
                layerDigest,
                layer.length);
    return putManifest(repository, tag, mediaType, manifest.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Uploads a multi-platform image: one manifest per architecture, by digest, then an index (OCI,
   * or a Docker manifest list) naming them, under {@code tag}.
   *
   * @return the index's digest
   */
  public String pushIndex(
      String repository, String tag, String content, String indexType, List<String> architectures)
      throws IOException {
    String childType = indexType.equals(OCI_INDEX) ? OCI_MANIFEST : DOCKER_MANIFEST;
    StringBuilder manifests = new StringBuilder();
    for (String arch : architectures) {
      String digest = pushImage(repository, null, content, arch, childType);
      int size = manifestBytes(repository, digest).length;
      if (manifests.length() > 0) {
        manifests.append(',');
      }
      manifests.append(
          "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%d,\"platform\":{\"architecture\":\"%s\",\"os\":\"linux\"}}"
              .formatted(childType, digest, size, arch));
    }
    String index =
        "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[%s]}"
            .formatted(indexType, manifests);
    return putManifest(repository, tag, indexType, index.getBytes(StandardCharsets.UTF_8));
  }

  /** Points {@code tag} at the manifest {@code digest} already holds: what a re-tag push does. */
  public void retag(String repository, String tag, String digest) throws IOException {
    HttpResponse<byte[]> r =
        call(
            repository,
            "pull",
            HttpRequest.newBuilder(manifestUri(repository, digest))
                .header(
                    "Accept",
                    String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST))
                .GET());
    expect(r, 200, "GET manifest " + digest);
    String type = r.headers().firstValue("Content-Type").orElseThrow();
    putManifest(repository, tag, type, r.body());
  }

  /** Deletes the manifest {@code digest}, and with it every tag naming it. */
  public void delete(String repository, String digest) throws IOException {
    HttpResponse<byte[]> r =
        call(
            repository, "delete", HttpRequest.newBuilder(manifestUri(repository, digest)).DELETE());
    expect(r, 202, "DELETE manifest " + digest);
  }

  private byte[] manifestBytes(String repository, String digest) throws IOException {
    HttpResponse<byte[]> r =
        call(
            repository,
            "pull",
            HttpRequest.newBuilder(manifestUri(repository, digest))
                .header("Accept", String.join(", ", OCI_MANIFEST, DOCKER_MANIFEST))
                .GET());
    expect(r, 200, "GET manifest " + digest);
    return r.body();
  }

  /** Monolithic upload: POST a session, then PUT the bytes with their digest. */
  private String pushBlob(String repository, byte[] content) throws IOException {
    String digest = sha256(content);
    HttpResponse<byte[]> start =
        call(
            repository,
            "pull,push",
            HttpRequest.newBuilder(endpoint.resolve("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    expect(start, 202, "POST blobs/uploads/");
    URI location = endpoint.resolve(start.headers().firstValue("Location").orElseThrow());
    String sep = location.getRawQuery() == null ? "?" : "&";
    HttpResponse<byte[]> put =
        call(
            repository,
            "pull,push",
            HttpRequest.newBuilder(URI.create(location + sep + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
    expect(put, 201, "PUT blob " + digest);
    return digest;
  }

  private String putManifest(String repository, String reference, String type, byte[] body)
      throws IOException {
    String digest = sha256(body);
    HttpResponse<byte[]> r =
        call(
            repository,
            "pull,push",
            HttpRequest.newBuilder(manifestUri(repository, reference == null ? digest : reference))
                .header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    expect(r, 201, "PUT manifest " + (reference == null ? digest : reference));
    Optional<String> answered = r.headers().firstValue("Docker-Content-Digest");
    if (answered.isPresent() && !answered.get().equals(digest)) {
      throw new IllegalStateException(
          "the registry stored " + answered.get() + " for a manifest whose SHA-256 is " + digest);
    }
    return digest;
  }

  private URI manifestUri(String repository, String reference) {
    return endpoint.resolve("/v2/" + repository + "/manifests/" + reference);
  }

  private HttpResponse<byte[]> call(String repository, String actions, HttpRequest.Builder b)
      throws IOException {
    if (pushToken != null) {
      b.header(
          "Authorization", "Bearer " + pushToken.apply("repository:" + repository + ":" + actions));
    }
    try {
      return http.send(
          b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private void expect(HttpResponse<byte[]> r, int status, String what) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(
          what
              + " answered "
              + r.statusCode()
              + " "
              + new String(r.body(), StandardCharsets.UTF_8)
              + "\nregistry log:\n"
              + logText());
    }
  }

  /** {@code sha256:<hex>} of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
