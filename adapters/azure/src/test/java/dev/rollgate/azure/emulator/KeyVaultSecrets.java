package dev.rollgate.azure.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fake of Key Vault's secrets REST API, served by {@link ArmFake} on the same HTTPS port as ARM
 * (its paths, {@code /secrets/...}, are no ARM path), enough for azure-security-keyvault-secrets
 * and for curl. Every vault name is this one vault: rollgate reads {@code azure-kv:VAULT/NAME} at
 * the emulator's endpoint.
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
 *   <li>{@code PUT /secrets/{name}} with {@code {"value": ...}} (and optionally {@code
 *       contentType}, {@code tags}, {@code attributes.enabled}): a new version with a new 32-hex
 *       id, answered 200 with its SecretBundle, as in SetSecret-example.json (same folder, @
 *       0e783e4c4468ca59ee4ff808a48ad9a18a8c4740). Names are the spec's {@code ^[0-9a-zA-Z-]+$};
 *       the wording of the 400 answers to a bad name or body is ours.
 * </ul>
 */
final class KeyVaultSecrets {

  /** The tenant the challenge names (the one in Key Vault's documentation). */
  static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

  private final String base;
  private final Map<String, List<Version>> secrets = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  /**
   * @param base the vault's URL, as {@code https://VAULT.vault.azure.net} would be: the ids' prefix
   */
  KeyVaultSecrets(String base) {
    this.base = base;
  }

  /** Whether {@code path} is one of Key Vault's. */
  static boolean serves(String path) {
    return path.equals("/secrets") || path.startsWith("/secrets/");
  }

  /** Adds a version of {@code name} holding {@code value}; its version id. */
  String put(String name, String value, boolean enabled) {
    return add(name, value, enabled, null, null).version;
  }

  void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    String auth = x.getRequestHeaders().getFirst("Authorization");
    requests.add(x.getRequestMethod() + " " + path + (auth == null ? " (no token)" : " (bearer)"));
    if (auth == null || !auth.startsWith("Bearer ")) {
      x.getResponseHeaders()
          .add(
              "WWW-Authenticate",
              "Bearer authorization=\"https://login.windows.net/"
                  + TENANT
                  + "\", resource=\"https://vault.azure.net\"");
      ArmHttp.send(x, 401, null);
      return;
    }
    String[] parts = path.replaceAll("^/+|/+$", "").split("/");
    String method = x.getRequestMethod();
    if (method.equals("PUT") && parts.length == 2) {
      set(x, parts[1]);
      return;
    }
    if (!method.equals("GET") || parts.length < 2 || parts.length > 3) {
      ArmHttp.send(
          x, 400, error("BadParameter", "The request URI is not supported by this fake.", null));
      return;
    }
    List<Version> versions = secrets.getOrDefault(parts[1], List.of());
    if (versions.isEmpty()) {
      ArmHttp.send(
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
      ArrayNode items = Json.MAPPER.createArrayNode();
      for (Version v : versions) {
        items.addObject().put("id", id(parts[1], v)).set("attributes", attributes(v));
      }
      ObjectNode page = Json.MAPPER.createObjectNode();
      page.set("value", items);
      page.putNull("nextLink");
      ArmHttp.send(x, 200, page);
      return;
    }
    Version v =
        parts.length == 2
            ? versions.get(versions.size() - 1)
            : versions.stream().filter(s -> s.version.equals(parts[2])).findFirst().orElse(null);
    if (v == null) {
      ArmHttp.send(
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
      ArmHttp.send(
          x,
          403,
          error(
              "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled"));
      return;
    }
    ArmHttp.send(x, 200, bundle(parts[1], v));
  }

  /** SetSecret: a new version from {@code {"value": ...}}. */
  private void set(HttpExchange x, String name) throws IOException {
    if (!name.matches("[0-9a-zA-Z-]{1,127}")) {
      ArmHttp.send(
          x,
          400,
          error(
              "BadParameter",
              "The secret name '"
                  + name
                  + "' is invalid: 1-127 letters, digits and hyphens are allowed.",
              null));
      return;
    }
    JsonNode body;
    try (InputStream in = x.getRequestBody()) {
      body = Json.MAPPER.readTree(in);
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.path("value").isTextual()) {
      ArmHttp.send(
          x,
          400,
          error(
              "BadParameter",
              "The request body must be a JSON object with the secret's \"value\" as a string.",
              null));
      return;
    }
    Version v =
        add(
            name,
            body.get("value").asText(),
            body.path("attributes").path("enabled").asBoolean(true),
            body.path("contentType").isTextual() ? body.get("contentType").asText() : null,
            body.path("tags").isObject() ? (ObjectNode) body.get("tags") : null);
    ArmHttp.send(x, 200, bundle(name, v));
  }

  private Version add(
      String name, String value, boolean enabled, String contentType, ObjectNode tags) {
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    Version v =
        new Version(
            HexFormat.of().formatHex(id),
            value,
            enabled,
            Instant.now().getEpochSecond(),
            contentType,
            tags);
    secrets.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(v);
    return v;
  }

  private ObjectNode bundle(String name, Version v) {
    ObjectNode bundle = Json.MAPPER.createObjectNode().put("value", v.value).put("id", id(name, v));
    if (v.contentType != null) {
      bundle.put("contentType", v.contentType);
    }
    bundle.set("attributes", attributes(v));
    bundle.set("tags", v.tags == null ? Json.MAPPER.createObjectNode() : v.tags);
    return bundle;
  }

  private String id(String name, Version v) {
    return base + "/secrets/" + name + "/" + v.version;
  }

  private static ObjectNode attributes(Version v) {
    return Json.MAPPER
        .createObjectNode()
        .put("enabled", v.enabled)
        .put("created", v.created)
        .put("updated", v.created)
        .put("recoveryLevel", "Recoverable+Purgeable");
  }

  private static ObjectNode error(String code, String message, String inner) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    ObjectNode error = e.putObject("error").put("code", code).put("message", message);
    if (inner != null) {
      error.putObject("innererror").put("code", inner);
    }
    return e;
  }

  private record Version(
      String version,
      String value,
      boolean enabled,
      long created,
      String contentType,
      ObjectNode tags) {}
}
