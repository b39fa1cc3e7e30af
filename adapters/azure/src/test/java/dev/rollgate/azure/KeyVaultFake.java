package dev.rollgate.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A small fake of Key Vault's secrets REST API over HTTPS, enough for
 * azure-security-keyvault-secrets:
 *
 * <ul>
 *   <li>The challenge: a request without {@code Authorization} is answered 401 with {@code
 *       WWW-Authenticate: Bearer authorization="https://login.windows.net/TENANT",
 *       resource="https://vault.azure.net"} (Key Vault's authentication overview,
 *       learn.microsoft.com /azure/key-vault/general/authentication-requests-and-responses); any
 *       bearer token passes.
 *   <li>{@code GET /secrets/{name}[/{version}]}: a SecretBundle ({@code value}, {@code id}, {@code
 *       attributes}), as in the REST API's example (Azure/azure-rest-api-specs
 *       specification/keyvault/data-plane/Microsoft.KeyVault/stable/7.5/examples/GetSecret-example.json @
 *       406a1f36a26f93eb601666296b8f225e8eee0444); no version: the newest. 404 {@code
 *       SecretNotFound}; a disabled version 403 {@code Forbidden}, "Operation get is not allowed on
 *       a disabled secret.", inner error {@code SecretDisabled} (as recorded in
 *       Azure/azure-sdk-for-js issue 24756).
 *   <li>{@code GET /secrets/{name}/versions}: the versions' ids and attributes, no values
 *       (GetSecretVersions-example.json beside it).
 * </ul>
 */
final class KeyVaultFake implements AutoCloseable {

  static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpsServer server;
  private final Map<String, List<Version>> secrets = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  KeyVaultFake(FakeTls tls) throws IOException, GeneralSecurityException {
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The vault's URL, as {@code https://VAULT.vault.azure.net} would be. */
  String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Adds a version of {@code name} holding {@code value}; its version id. */
  String put(String name, String value, boolean enabled) {
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    String version = HexFormat.of().formatHex(id);
    secrets
        .computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
        .add(new Version(version, value, enabled));
    return version;
  }

  private void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    String auth = x.getRequestHeaders().getFirst("Authorization");
    requests.add(x.getRequestMethod() + " " + path + (auth == null ? " (no token)" : " (bearer)"));
    try (x) {
      if (auth == null || !auth.startsWith("Bearer ")) {
        x.getResponseHeaders()
            .add(
                "WWW-Authenticate",
                "Bearer authorization=\"https://login.windows.net/"
                    + TENANT
                    + "\", resource=\"https://vault.azure.net\"");
        send(x, 401, null);
        return;
      }
      String[] parts = path.replaceAll("^/+|/+$", "").split("/");
      if (!x.getRequestMethod().equals("GET") || parts.length < 2 || !parts[0].equals("secrets")) {
        send(x, 400, error("BadParameter", "The request URI is not supported by this fake.", null));
        return;
      }
      List<Version> versions = secrets.getOrDefault(parts[1], List.of());
      if (versions.isEmpty()) {
        send(
            x,
            404,
            error(
                "SecretNotFound",
                "A secret with (name/id) "
                    + parts[1]
                    + " was not found in this key vault. If you recently deleted this secret you may be able"
                    + " to recover it using the correct recovery command.",
                null));
        return;
      }
      if (parts.length == 3 && parts[2].equals("versions")) {
        ArrayNode items = JSON.createArrayNode();
        for (Version v : versions) {
          items.addObject().put("id", id(parts[1], v)).set("attributes", attributes(v));
        }
        ObjectNode page = JSON.createObjectNode();
        page.set("value", items);
        page.putNull("nextLink");
        send(x, 200, page);
        return;
      }
      Version v =
          parts.length == 2
              ? versions.get(versions.size() - 1)
              : versions.stream().filter(s -> s.version.equals(parts[2])).findFirst().orElse(null);
      if (v == null) {
        send(
            x,
            404,
            error(
                "SecretNotFound",
                "A secret with (name/id) "
                    + parts[1]
                    + "/"
                    + parts[2]
                    + " was not found in this key vault.",
                null));
        return;
      }
      if (!v.enabled) {
        send(
            x,
            403,
            error(
                "Forbidden",
                "Operation get is not allowed on a disabled secret.",
                "SecretDisabled"));
        return;
      }
      ObjectNode bundle = JSON.createObjectNode().put("value", v.value).put("id", id(parts[1], v));
      bundle.set("attributes", attributes(v));
      bundle.putObject("tags");
      send(x, 200, bundle);
    }
  }

  private String id(String name, Version v) {
    return url() + "/secrets/" + name + "/" + v.version;
  }

  private static ObjectNode attributes(Version v) {
    return JSON.createObjectNode()
        .put("enabled", v.enabled)
        .put("created", 1493938410)
        .put("updated", 1493938410)
        .put("recoveryLevel", "Recoverable+Purgeable");
  }

  private static ObjectNode error(String code, String message, String inner) {
    ObjectNode e = JSON.createObjectNode();
    ObjectNode error = e.putObject("error").put("code", code).put("message", message);
    if (inner != null) {
      error.putObject("innererror").put("code", inner);
    }
    return e;
  }

  private static void send(HttpExchange x, int status, ObjectNode body) throws IOException {
    byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
    x.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      x.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private record Version(String version, String value, boolean enabled) {}
}
