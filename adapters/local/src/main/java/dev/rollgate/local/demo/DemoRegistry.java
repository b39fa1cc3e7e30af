package dev.rollgate.local.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's registry: Debian's {@code docker-registry} (the CNCF Distribution registry), or the
 * binary {@code ROLLGATE_DOCKER_REGISTRY} names, open on a loopback port; and an upload of an image
 * through the registry HTTP API v2 as {@code docker push} does it (two blobs, then the manifest
 * under a tag), so that a push naming only the tag has something to resolve.
 */
final class DemoRegistry implements AutoCloseable {

  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  private final DemoTools.Server server;
  private final HttpClient http = HttpClient.newHttpClient();

  private DemoRegistry(DemoTools.Server server) {
    this.server = server;
  }

  /** Why the demo cannot start the registry here and how to install it; empty when it can. */
  static Optional<String> missing(Map<String, String> env) {
    if (DemoTools.binary(env, "ROLLGATE_DOCKER_REGISTRY", "docker-registry").isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        (!env.getOrDefault("ROLLGATE_DOCKER_REGISTRY", "").isBlank()
                ? "ROLLGATE_DOCKER_REGISTRY="
                    + env.get("ROLLGATE_DOCKER_REGISTRY")
                    + " is not an executable file"
                : "no 'docker-registry' binary on the PATH")
            + ": install it with 'sudo apt-get install docker-registry' (Debian's CNCF"
            + " Distribution registry 2.8) or set ROLLGATE_DOCKER_REGISTRY to a Distribution"
            + " 'registry' binary");
  }

  static DemoRegistry start(Path dir) throws IOException {
    Path binary =
        DemoTools.binary(System.getenv(), "ROLLGATE_DOCKER_REGISTRY", "docker-registry")
            .orElseThrow();
    Files.createDirectories(dir.resolve("data"));
    int port = DemoTools.freePort();
    Path config = dir.resolve("config.yml");
    Files.writeString(
        config,
        """
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: 127.0.0.1:%d
          secret: rollgate-demo-upload-secret
        """
            .formatted(dir.resolve("data"), port));
    return new DemoRegistry(
        DemoTools.start(
            List.of(binary.toString(), "serve", config.toString()),
            URI.create("http://127.0.0.1:" + port),
            dir.resolve("registry.log"),
            "/v2/",
            List.of(200),
            Duration.ofSeconds(15)));
  }

  /** The registry's API base URL, {@code http://127.0.0.1:<port>}. */
  URI url() {
    return server.url();
  }

  /**
   * Uploads an OCI image (a config and one layer made from {@code content}) as {@code
   * repository:tag}; returns the manifest's digest, the SHA-256 of the bytes uploaded.
   */
  String pushImage(String repository, String tag, String content) throws IOException {
    byte[] layer = ("layer of " + content).getBytes(StandardCharsets.UTF_8);
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"%s\"]},\"config\":{\"Labels\":{\"content\":\"%s\"}}}")
            .formatted(sha256(layer), content)
            .getBytes(StandardCharsets.UTF_8);
    String layerDigest = pushBlob(repository, layer);
    String configDigest = pushBlob(repository, config);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":%d},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"%s\",\"size\":%d}]}")
            .formatted(OCI_MANIFEST, configDigest, config.length, layerDigest, layer.length)
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(url().resolve("/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", OCI_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)),
            201,
            "PUT manifest " + tag);
    String digest = sha256(manifest);
    String stored = r.headers().firstValue("Docker-Content-Digest").orElse(digest);
    if (!stored.equals(digest)) {
      throw new IOException("the registry stored " + stored + " for a manifest of " + digest);
    }
    return digest;
  }

  /** A monolithic blob upload: POST a session, then PUT the bytes with their digest. */
  private String pushBlob(String repository, byte[] content) throws IOException {
    String digest = sha256(content);
    HttpResponse<String> session =
        send(
            HttpRequest.newBuilder(url().resolve("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()),
            202,
            "POST blobs/uploads/");
    URI location = url().resolve(session.headers().firstValue("Location").orElseThrow());
    String sep = location.getRawQuery() == null ? "?" : "&";
    send(
        HttpRequest.newBuilder(URI.create(location + sep + "digest=" + digest))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content)),
        201,
        "PUT blob " + digest);
    return digest;
  }

  private HttpResponse<String> send(HttpRequest.Builder b, int status, String what)
      throws IOException {
    try {
      HttpResponse<String> r =
          http.send(
              b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != status) {
        throw new IOException(what + " answered " + r.statusCode() + ": " + r.body());
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
