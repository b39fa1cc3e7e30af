package dev.rollgate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.port.DigestResolver.Request;
import dev.rollgate.core.port.RegistryException;
import dev.rollgate.core.port.RegistryException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Answers a registry's 401 as Docker Hub, Quay and GHCR expect: a bearer challenge by fetching a
 * pull token from its realm (anonymously, or with HTTP basic credentials), a basic challenge with
 * the credentials themselves. Never puts a password or a token in a message.
 */
final class RegistryAuth {

  /** One HTTP call to the registry or its realm. */
  interface Sender {
    HttpResponse<byte[]> send(URI uri, String method, String authorization)
        throws RegistryException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Sender http;

  RegistryAuth(Sender http) {
    this.http = http;
  }

  /** Answers a 401: the Authorization value to send again with, or the reason there is none. */
  String authorize(Request r, String name, URI manifest, HttpResponse<?> unauthorized)
      throws RegistryException {
    List<Challenge> challenges =
        Challenge.parseAll(unauthorized.headers().allValues("WWW-Authenticate"));
    Optional<Challenge> bearer =
        challenges.stream().filter(c -> c.scheme().equals("bearer")).findFirst();
    if (bearer.isPresent()) {
      return "Bearer " + token(r, name, bearer.get());
    }
    if (challenges.stream().anyMatch(c -> c.scheme().equals("basic"))) {
      if (r.credentials() == null) {
        throw new RegistryException(
            Kind.DENIED, "it asks for a user name and password (HTTP basic), and none is set");
      }
      requireSafeToSend(r, manifest);
      return basic(r);
    }
    throw new RegistryException(
        Kind.DENIED,
        "answered 401 without a challenge rollgate understands (Bearer or Basic): "
            + unauthorized.headers().allValues("WWW-Authenticate"));
  }

  /** The bearer-token flow: GET the realm (with basic credentials when set) for a pull token. */
  private String token(Request r, String name, Challenge challenge) throws RegistryException {
    String realm = challenge.param("realm");
    URI realmUri;
    try {
      realmUri = realm == null ? null : URI.create(realm);
    } catch (IllegalArgumentException e) {
      realmUri = null;
    }
    if (realmUri == null
        || realmUri.getHost() == null
        || !("https".equals(realmUri.getScheme()) || "http".equals(realmUri.getScheme()))) {
      throw new RegistryException(
          Kind.REFUSED, "its bearer challenge names no usable token realm: '" + realm + "'");
    }
    String scope =
        challenge.param("scope") != null
            ? challenge.param("scope")
            : "repository:" + name + ":pull";
    StringBuilder query = new StringBuilder();
    if (challenge.param("service") != null) {
      query.append("service=").append(encode(challenge.param("service"))).append('&');
    }
    query.append("scope=").append(encode(scope));
    URI tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
    String authorization = null;
    if (r.credentials() != null) {
      requireSafeToSend(r, tokenUri);
      authorization = basic(r);
    }
    HttpResponse<byte[]> answer = http.send(tokenUri, "GET", authorization);
    String who =
        r.credentials() == null
            ? "anonymous access"
            : "the credentials of user " + r.credentials().username();
    int status = answer.statusCode();
    if (status == 401 || status == 403) {
      throw new RegistryException(
          Kind.DENIED,
          "the token service " + host(tokenUri) + " refused " + who + " (" + status + ")");
    }
    if (status == 429 || status >= 500) {
      throw new RegistryException(
          Kind.UNAVAILABLE, "the token service " + host(tokenUri) + " answered " + status);
    }
    if (status != 200) {
      throw new RegistryException(
          Kind.REFUSED, "the token service " + host(tokenUri) + " answered " + status);
    }
    try {
      JsonNode json = JSON.readTree(answer.body());
      String token = json.path("token").asText("");
      if (token.isEmpty()) {
        token = json.path("access_token").asText("");
      }
      if (token.isEmpty()) {
        throw new RegistryException(
            Kind.REFUSED,
            "the token service " + host(tokenUri) + " answered no token or access_token");
      }
      return token;
    } catch (IOException e) {
      throw new RegistryException(
          Kind.REFUSED, "the token service " + host(tokenUri) + " answered no JSON");
    }
  }

  /** Credentials go over https, or in plain http only to this machine (a local test registry). */
  private static void requireSafeToSend(Request r, URI to) throws RegistryException {
    if ("https".equals(to.getScheme()) || isLoopback(to.getHost())) {
      return;
    }
    throw new RegistryException(
        Kind.REFUSED,
        "refusing to send the credentials of registries."
            + r.registry()
            + " over plain http to "
            + host(to)
            + "; use https");
  }

  private static boolean isLoopback(String host) {
    return host != null
        && (host.equals("localhost")
            || host.startsWith("127.")
            || host.equals("[::1]")
            || host.equals("::1"));
  }

  private static String basic(Request r) {
    String pair = r.credentials().username() + ":" + r.credentials().password();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static String host(URI uri) {
    return RegistryApiDigestResolver.host(uri);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
