package dev.rollgate.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The token service of the registry token authentication protocol (Docker Hub's auth.docker.io,
 * Quay's and GHCR's {@code /token}), for a Distribution registry configured with {@code
 * auth.token}: it answers {@code GET ?service=&scope=} with a JWT signed (RS256, {@code x5c}) by a
 * key whose self-signed certificate the registry trusts. Repositories under {@code private/} are
 * pulled only with the realm's user name and password (HTTP basic); anonymous callers get a token
 * without access to them, as Docker Hub answers, and the registry then refuses it.
 */
public final class TokenRealm implements AutoCloseable {

  public static final String SERVICE = "rollgate-test-registry";
  public static final String ISSUER = "rollgate-test-realm";

  /** One request to the realm: whether it came with basic credentials, and its scope. */
  public record Call(boolean withCredentials, String scope) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STOREPASS = "rollgate-test";

  private final HttpServer server;
  private final PrivateKey key;
  private final X509Certificate certificate;
  private final String username;
  private final String password;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile String tokenField = "token";

  private TokenRealm(
      HttpServer server,
      PrivateKey key,
      X509Certificate certificate,
      String username,
      String password) {
    this.server = server;
    this.key = key;
    this.certificate = certificate;
    this.username = username;
    this.password = password;
  }

  /**
   * Generates a key pair and self-signed certificate with the JDK's keytool in {@code dir} and
   * serves the realm on a free port.
   */
  public static TokenRealm start(Path dir, String username, String password) throws Exception {
    Path store = dir.resolve("realm.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "realm",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=" + ISSUER,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                STOREPASS,
                "-keypass",
                STOREPASS)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool -genkeypair failed: " + out);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, STOREPASS.toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey("realm", STOREPASS.toCharArray());
    X509Certificate cert = (X509Certificate) ks.getCertificate("realm");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    TokenRealm realm = new TokenRealm(server, key, cert, username, password);
    server.createContext("/token", realm::token);
    server.start();
    return realm;
  }

  /** The realm URL the registry sends clients to. */
  public URI realm() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  /** Writes the certificate (PEM) the registry trusts into {@code dir}; returns its path. */
  public Path certificate(Path dir) throws IOException {
    Path pem = dir.resolve("realm.pem");
    try {
      Files.writeString(
          pem,
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(certificate.getEncoded())
              + "\n-----END CERTIFICATE-----\n");
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IOException(e);
    }
    return pem;
  }

  /** Answers with {@code access_token} instead of {@code token}, as OAuth2-style services do. */
  public TokenRealm answerAccessToken() {
    tokenField = "access_token";
    return this;
  }

  /** Answers with {@code token} again (the default). */
  public TokenRealm answerToken() {
    tokenField = "token";
    return this;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** A token for {@code subject} granting {@code scope} ({@code repository:NAME:pull,push}). */
  public String mint(String subject, String scope) {
    return mint(subject, scope == null ? List.of() : List.of(scope));
  }

  private String mint(String subject, List<String> scopes) {
    long now = System.currentTimeMillis() / 1000;
    ObjectNode header = JSON.createObjectNode();
    header.put("typ", "JWT");
    header.put("alg", "RS256");
    try {
      header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
    ObjectNode claims = JSON.createObjectNode();
    claims.put("iss", ISSUER);
    claims.put("sub", subject);
    claims.put("aud", SERVICE);
    claims.put("exp", now + 300);
    claims.put("nbf", now - 5);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString());
    ArrayNode access = claims.putArray("access");
    for (String scope : scopes) {
      // repository:NAME:ACTIONS, where NAME may hold no ':' but ACTIONS is after the last one
      int first = scope.indexOf(':');
      int last = scope.lastIndexOf(':');
      if (first < 0 || last <= first) {
        continue;
      }
      ObjectNode a = access.addObject();
      a.put("type", scope.substring(0, first));
      a.put("name", scope.substring(first + 1, last));
      ArrayNode actions = a.putArray("actions");
      for (String action : scope.substring(last + 1).split(",")) {
        actions.add(action);
      }
    }
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        url.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8))
            + "."
            + url.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key);
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + url.encodeToString(rs256.sign());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void token(HttpExchange exchange) throws IOException {
    try (exchange) {
      String service = null;
      List<String> scopes = new ArrayList<>();
      String query = exchange.getRequestURI().getRawQuery();
      for (String pair : query == null ? new String[0] : query.split("&")) {
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(pair.substring(0, Math.max(eq, 0)), StandardCharsets.UTF_8);
        String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (k.equals("service")) {
          service = v;
        } else if (k.equals("scope")) {
          scopes.add(v);
        }
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      calls.add(new Call(authorization != null, String.join(" ", scopes)));
      if (!SERVICE.equals(service)) {
        answer(exchange, 400, "{\"details\":\"unknown service\"}");
        return;
      }
      boolean authenticated = false;
      if (authorization != null) {
        String expected =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        if (!authorization.equals(expected)) {
          answer(exchange, 401, "{\"details\":\"incorrect username or password\"}");
          return;
        }
        authenticated = true;
      }
      List<String> granted = new ArrayList<>();
      for (String scope : scopes) {
        if (authenticated || !scope.startsWith("repository:private/")) {
          granted.add(scope);
        }
      }
      ObjectNode body = JSON.createObjectNode();
      body.put(tokenField, mint(authenticated ? username : "", granted));
      body.put("expires_in", 300);
      answer(exchange, 200, body.toString());
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
