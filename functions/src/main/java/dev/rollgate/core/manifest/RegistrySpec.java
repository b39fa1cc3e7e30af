package dev.rollgate.core.manifest;

import java.net.URI;

/**
 * How rollgate reaches one registry to resolve tags to digests ({@code registries.<host>} in the
 * manifest).
 *
 * @param host the registry host as image references name it ({@code docker.io}, {@code quay.io},
 *     {@code registry.example.com:5000})
 * @param url the registry's API base URL, or null (default) for {@code https://<host>}, and {@code
 *     https://registry-1.docker.io} for {@code docker.io}
 * @param username the user name to authenticate with, or null (default) to go anonymously
 * @param password reference to the password or access token that goes with {@code username}
 */
public record RegistrySpec(String host, URI url, String username, SecretRef password) {

  /** The path of this registry's password in the manifest. */
  public String passwordPath() {
    return "registries." + host + ".password";
  }
}
