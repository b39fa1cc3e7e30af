package dev.rollgate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.rollgate.contract.DigestResolverContract;
import dev.rollgate.core.port.DigestResolver;
import dev.rollgate.core.port.DigestResolver.Credentials;
import dev.rollgate.core.port.DigestResolver.Request;
import dev.rollgate.core.port.RegistryException;
import dev.rollgate.core.port.RegistryException.Kind;
import dev.rollgate.testing.DistributionRegistry;
import dev.rollgate.testing.TokenRealm;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RegistryApiDigestResolver} against a real CNCF Distribution registry (Debian's
 * docker-registry), open and behind token authentication, with images uploaded through the same
 * API.
 */
class RegistryApiDigestResolverIT extends DigestResolverContract {

  @TempDir static Path dir;

  private static DistributionRegistry open;
  private static DistributionRegistry guarded;
  private static TokenRealm realm;

  private final RegistryApiDigestResolver resolver =
      new RegistryApiDigestResolver(Duration.ofSeconds(5), 2, Duration.ofMillis(20));

  @BeforeAll
  static void registries() throws Exception {
    open = DistributionRegistry.start(dir.resolve("open"));
    realm = TokenRealm.start(dir, "rollgate", "pull-secret");
    guarded = DistributionRegistry.start(dir.resolve("guarded"), realm);
  }

  @AfterAll
  static void stop() {
    if (guarded != null) {
      guarded.close();
    }
    if (realm != null) {
      realm.close();
    }
    if (open != null) {
      open.close();
    }
  }

  @Override
  protected DigestResolver resolver() {
    return resolver;
  }

  @Override
  protected Request request(String repository, String tag) {
    return new Request(open.host(), open.endpoint(), repository, tag, null);
  }

  @Override
  protected String publishImage(String repository, String tag, String content) throws Exception {
    return open.pushImage(repository, tag, content);
  }

  @Override
  protected String publishIndex(String repository, String tag, String content) throws Exception {
    return open.pushIndex(
        repository, tag, content, DistributionRegistry.OCI_INDEX, List.of("amd64", "arm64"));
  }

  @Override
  protected void retag(String repository, String tag, String digest) throws Exception {
    open.retag(repository, tag, digest);
  }

  @Test
  void resolve_shouldAnswerTheListDigest_whenTheTagNamesADockerManifestList() throws Exception {
    // GIVEN a Docker manifest list (the older multi-platform type) and a Docker v2 manifest
    String repository = aRepository();
    String list =
        open.pushIndex(
            repository,
            "multi",
            "docker",
            DistributionRegistry.DOCKER_LIST,
            List.of("amd64", "arm64"));
    String single =
        open.pushImage(
            repository, "single", "docker", "amd64", DistributionRegistry.DOCKER_MANIFEST);
    // WHEN both tags are resolved
    // THEN each answers its own digest and media type
    DigestResolver.Resolved l = resolver.resolve(request(repository, "multi"));
    assertEquals(list, l.digest());
    assertEquals(DistributionRegistry.DOCKER_LIST, l.mediaType());
    DigestResolver.Resolved s = resolver.resolve(request(repository, "single"));
    assertEquals(single, s.digest());
    assertEquals(DistributionRegistry.DOCKER_MANIFEST, s.mediaType());
  }

  @Test
  void resolve_shouldMapDockerHubNames_whenTheRegistryIsDockerIo() throws Exception {
    // GIVEN official-image naming: "nginx" on docker.io lives at library/nginx in the API
    String digest = open.pushImage("library/nginx", "1.27", "nginx");
    // WHEN docker.io/nginx:1.27 is resolved (the API pointed at the local registry)
    DigestResolver.Resolved r =
        resolver.resolve(new Request("docker.io", open.endpoint(), "nginx", "1.27", null));
    // THEN the request went to /v2/library/nginx/
    assertEquals(digest, r.digest());
    assertEquals(
        URI.create("https://registry-1.docker.io"),
        RegistryApiDigestResolver.base(new Request("docker.io", null, "nginx", "1.27", null)));
  }

  @Test
  void resolve_shouldHashTheBody_whenTheRegistryLeavesTheDigestOutOfHead() throws Exception {
    // GIVEN the real registry behind a proxy that drops Docker-Content-Digest from HEAD answers
    String repository = aRepository();
    String digest = open.pushImage(repository, "v1", "no-header");
    List<String> methods = new CopyOnWriteArrayList<>();
    HttpServer proxy = stripDigestOnHead(open.endpoint(), methods);
    try {
      URI via = URI.create("http://127.0.0.1:" + proxy.getAddress().getPort());
      // WHEN the tag is resolved through it
      DigestResolver.Resolved r =
          resolver.resolve(new Request(open.host(), via, repository, "v1", null));
      // THEN a GET followed, and the SHA-256 of the manifest is the digest
      assertEquals(digest, r.digest());
      assertEquals(List.of("HEAD", "GET"), methods);
    } finally {
      proxy.stop(0);
    }
  }

  @Test
  void resolve_shouldFetchAnAnonymousToken_whenTheRegistryAsksForOne() throws Exception {
    // GIVEN a registry behind token auth, and a public repository
    String repository = aRepository();
    String digest = guarded.pushImage(repository, "v1", "public");
    int before = realm.calls().size();
    // WHEN it is resolved without credentials
    DigestResolver.Resolved r =
        resolver.resolve(new Request(guarded.host(), guarded.endpoint(), repository, "v1", null));
    // THEN the realm was asked, anonymously, for a pull token of that repository
    assertEquals(digest, r.digest());
    TokenRealm.Call call = realm.calls().get(before);
    assertFalse(call.withCredentials());
    assertEquals("repository:" + repository + ":pull", call.scope());
  }

  @Test
  void resolve_shouldSendTheCredentialsToTheRealm_whenTheRepositoryIsPrivate() throws Exception {
    // GIVEN a private repository
    String repository = "private/" + aRepository();
    String digest = guarded.pushImage(repository, "v1", "private");
    Request anonymous = new Request(guarded.host(), guarded.endpoint(), repository, "v1", null);
    // WHEN it is resolved anonymously: the token grants nothing, the registry refuses
    RegistryException denied =
        assertThrows(RegistryException.class, () -> resolver.resolve(anonymous));
    assertEquals(Kind.DENIED, denied.kind(), denied.getMessage());
    // AND with a wrong password: the token service refuses
    RegistryException wrong =
        assertThrows(
            RegistryException.class,
            () ->
                resolver.resolve(
                    new Request(
                        guarded.host(),
                        guarded.endpoint(),
                        repository,
                        "v1",
                        new Credentials("rollgate", "not-the-password"))));
    assertEquals(Kind.DENIED, wrong.kind(), wrong.getMessage());
    assertFalse(wrong.getMessage().contains("not-the-password"), wrong.getMessage());
    // THEN with the right credentials it resolves, whichever field the token comes in
    Request good =
        new Request(
            guarded.host(),
            guarded.endpoint(),
            repository,
            "v1",
            new Credentials("rollgate", "pull-secret"));
    assertEquals(digest, resolver.resolve(good).digest());
    realm.answerAccessToken();
    try {
      assertEquals(digest, resolver.resolve(good).digest());
    } finally {
      realm.answerToken();
    }
  }

  @Test
  void resolve_shouldSayUnavailable_afterItsRetries_whenTheRegistryIsUnreachable()
      throws Exception {
    // GIVEN nothing listening
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Request r =
        new Request(
            "127.0.0.1:" + port, URI.create("http://127.0.0.1:" + port), "team/shop", "v1", null);
    // WHEN it is resolved
    RegistryException e = assertThrows(RegistryException.class, () -> resolver.resolve(r));
    // THEN it may be retried later
    assertEquals(Kind.UNAVAILABLE, e.kind(), e.getMessage());
    assertTrue(e.retryable());
  }

  @Test
  void resolve_shouldSayUnavailable_whenTheRegistryAnswers5xx() throws Exception {
    // GIVEN a registry answering 503 (the registry itself cannot be made to; a stand-in does)
    AtomicInteger asked = new AtomicInteger();
    HttpServer down = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    down.createContext(
        "/",
        x -> {
          asked.incrementAndGet();
          x.sendResponseHeaders(503, -1);
          x.close();
        });
    down.start();
    try {
      URI at = URI.create("http://127.0.0.1:" + down.getAddress().getPort());
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () -> resolver.resolve(new Request(at.getAuthority(), at, "team/shop", "v1", null)));
      // THEN it is retryable, and was tried as often as configured
      assertEquals(Kind.UNAVAILABLE, e.kind(), e.getMessage());
      assertEquals(2, asked.get());
    } finally {
      down.stop(0);
    }
  }

  @Test
  void resolve_shouldAnswerABasicChallenge_butNeverSendCredentialsOverPlainHttpToAnotherHost()
      throws Exception {
    // GIVEN a stand-in for a registry with HTTP basic auth (Distribution's htpasswd needs bcrypt
    // hashes, which nothing here makes): 401 with a Basic challenge, 200 with the right header
    String expected =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString("rollgate:pw".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer basic = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
    String digest = "sha256:" + "ab".repeat(32);
    basic.createContext(
        "/",
        x -> {
          String auth = x.getRequestHeaders().getFirst("Authorization");
          seen.add(auth == null ? "-" : auth.substring(0, 6));
          if (expected.equals(auth)) {
            x.getResponseHeaders().set("Docker-Content-Digest", digest);
            x.getResponseHeaders().set("Content-Type", DistributionRegistry.OCI_MANIFEST);
            x.sendResponseHeaders(200, -1);
          } else {
            x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Registry Realm\"");
            x.sendResponseHeaders(401, -1);
          }
          x.close();
        });
    basic.start();
    try {
      int port = basic.getAddress().getPort();
      Credentials creds = new Credentials("rollgate", "pw");
      // WHEN it is reached on this machine, THEN the credentials answer the challenge
      URI local = URI.create("http://127.0.0.1:" + port);
      assertEquals(
          digest,
          resolver
              .resolve(new Request(local.getAuthority(), local, "team/shop", "v1", creds))
              .digest());
      assertEquals(List.of("-", "Basic "), seen);
      // WHEN it is reached over plain http at another address, THEN they are not sent
      String other = java.net.InetAddress.getLocalHost().getHostAddress();
      if (other.startsWith("127.")) {
        other = nonLoopbackAddress();
      }
      seen.clear();
      URI remote = URI.create("http://" + other + ":" + port);
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () ->
                  resolver.resolve(
                      new Request(remote.getAuthority(), remote, "team/shop", "v1", creds)));
      assertEquals(Kind.REFUSED, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("over plain http"), e.getMessage());
      assertEquals(List.of("-"), seen);
    } finally {
      basic.stop(0);
    }
  }

  private static String nonLoopbackAddress() throws Exception {
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      for (var a : java.util.Collections.list(nic.getInetAddresses())) {
        if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
          return a.getHostAddress();
        }
      }
    }
    throw new IllegalStateException("this machine has no IPv4 address but loopback");
  }

  /** A forwarding proxy to {@code target} that drops Docker-Content-Digest from HEAD answers. */
  private static HttpServer stripDigestOnHead(URI target, List<String> methods) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    proxy.createContext(
        "/",
        x -> {
          try (x) {
            methods.add(x.getRequestMethod());
            HttpRequest.Builder b =
                HttpRequest.newBuilder(target.resolve(x.getRequestURI().toString()))
                    .method(x.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
            String accept = x.getRequestHeaders().getFirst("Accept");
            if (accept != null) {
              b.header("Accept", accept);
            }
            HttpResponse<byte[]> r =
                client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers()
                .map()
                .forEach(
                    (k, v) -> {
                      boolean drop =
                          k.equalsIgnoreCase("content-length")
                              || k.equalsIgnoreCase(":status")
                              || (k.equalsIgnoreCase("docker-content-digest")
                                  && x.getRequestMethod().equals("HEAD"));
                      if (!drop) {
                        x.getResponseHeaders().put(k, v);
                      }
                    });
            boolean head = x.getRequestMethod().equals("HEAD");
            x.sendResponseHeaders(
                r.statusCode(), head || r.body().length == 0 ? -1 : r.body().length);
            if (!head) {
              x.getResponseBody().write(r.body());
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    proxy.start();
    return proxy;
  }
}
