package dev.rollgate.core.manifest;

import dev.rollgate.events.ImageReference;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code registries:}: per registry host, where its API is and the credentials to resolve
 * tags with. The password is a secret reference, checked against the installed schemes at startup
 * like every other.
 */
final class RegistryParser extends YamlReader {

  RegistryParser(List<String> problems) {
    super(problems);
  }

  Map<String, RegistrySpec> registries(Object node) {
    Map<String, RegistrySpec> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    Map<String, Object> map = map(node, "registries");
    if (map == null) {
      return out;
    }
    for (Map.Entry<String, Object> e : map.entrySet()) {
      String host = e.getKey();
      String path = "registries." + host;
      if (!ImageReference.isRegistry(host)) {
        problem(
            path,
            "not a registry host ("
                + ImageReference.REGISTRY_RULE
                + ", as image references name it: docker.io, quay.io, ghcr.io)");
        continue;
      }
      Map<String, Object> r = map(e.getValue(), path);
      if (r == null) {
        continue;
      }
      known(r, path, "url", "username", "password");
      URI url = url(string(r.get("url"), path + ".url", false), path + ".url");
      String username = string(r.get("username"), path + ".username", false);
      SecretRef password = secret(r.get("password"), path + ".password", false);
      if (username != null && password == null && r.get("password") == null) {
        problem(
            path + ".password", "missing: a username needs a password (e.g. env:REGISTRY_TOKEN)");
      }
      if (username == null && password != null) {
        problem(path + ".username", "missing: a password needs the username it belongs to");
      }
      out.put(host, new RegistrySpec(host, url, username, password));
    }
    return out;
  }

  private URI url(String text, String path) {
    if (text == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException ex) {
      problem(path, "not a URL" + (text.contains("@") ? "" : ": '" + text + "'"));
      return null;
    }
    if (uri.getRawUserInfo() != null) {
      // Never repeat it: what sits before '@' may be a password.
      problem(path, "credentials do not belong in the URL: use username and password (env:NAME)");
      return null;
    }
    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
        || uri.getHost() == null) {
      problem(path, "expected the registry's base URL, https://host[:port]: '" + text + "'");
      return null;
    }
    if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      problem(
          path,
          "expected the registry's base URL without a path (the API lives at /v2/): '"
              + text
              + "'");
      return null;
    }
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
  }
}
