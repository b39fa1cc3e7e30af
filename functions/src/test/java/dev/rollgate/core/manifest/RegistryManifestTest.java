package dev.rollgate.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryManifestTest {

  private static final String APPS =
      """
      apps:
        - name: shop
          image: docker.io/team/shop
          environments:
            staging:
              target: { platform: local, service: shop-staging, command: "run {port}" }
      """;

  private static Manifest parse(String registries) {
    return ManifestLoader.parse(registries + APPS, "rollgate.yaml", Path.of("/base"));
  }

  private static String problems(String registries) {
    ManifestException e = assertThrows(ManifestException.class, () -> parse(registries));
    return String.join("\n", e.problems());
  }

  @Test
  void parse_shouldReadEachRegistry_whenHostsUrlsAndCredentialsAreGiven() {
    // GIVEN Quay with credentials, Docker Hub anonymously, a local registry over http
    Manifest m =
        parse(
            """
            registries:
              quay.io: { username: "team+rollgate", password: env:QUAY_TOKEN }
              docker.io: {}
              "localhost:5000": { url: "http://localhost:5000/" }
            """);
    // THEN each is read, the URL without its trailing slash, the password a reference
    RegistrySpec quay = m.registry("quay.io").orElseThrow();
    assertEquals("team+rollgate", quay.username());
    assertEquals(new SecretRef("env", "QUAY_TOKEN"), quay.password());
    assertNull(quay.url());
    assertNull(m.registry("docker.io").orElseThrow().username());
    assertEquals(
        URI.create("http://localhost:5000"), m.registry("localhost:5000").orElseThrow().url());
    assertTrue(m.registry("ghcr.io").isEmpty());
    // AND the password is checked like every secret reference at startup
    assertEquals(
        new SecretRef("env", "QUAY_TOKEN"),
        SecretReferences.of(m).get("registries.quay.io.password"));
  }

  @Test
  void parse_shouldDefaultToNoRegistries_whenNoneAreNamed() {
    assertTrue(parse("").registries().isEmpty());
  }

  @Test
  void parse_shouldNameThePathOfEachProblem_whenARegistryIsMalformed() {
    // GIVEN a bad host, a half pair of credentials, a URL with a path, an unknown key
    String all =
        problems(
            """
            registries:
              Quay.IO: { username: me, password: env:X }
              ghcr.io: { username: me }
              gitlab.example.com: { password: env:GITLAB_TOKEN }
              registry.example.com: { url: "https://registry.example.com/v2/" }
              harbor.example.com: { url: "ftp://harbor.example.com" }
              quay.io: { user: me }
            """);
    assertTrue(all.contains("registries.Quay.IO: not a registry host"), all);
    assertTrue(all.contains("registries.ghcr.io.password: missing"), all);
    assertTrue(all.contains("registries.gitlab.example.com.username: missing"), all);
    assertTrue(
        all.contains(
            "registries.registry.example.com.url: expected the registry's base URL without a path"),
        all);
    assertTrue(
        all.contains("registries.harbor.example.com.url: expected the registry's base URL"), all);
    assertTrue(all.contains("registries.quay.io.user: unknown key"), all);
  }

  @Test
  void parse_shouldNeverRepeatASecret_whenItIsWrittenWhereAReferenceBelongs() {
    // GIVEN credentials in the URL, and a literal password
    String all =
        problems(
            """
            registries:
              quay.io: { url: "https://me:hunter2@quay.io" }
            """);
    assertTrue(all.contains("registries.quay.io.url: credentials do not belong in the URL"), all);
    assertFalse(all.contains("hunter2"), all);
    Manifest literal =
        parse(
            """
            registries:
              quay.io: { username: me, password: "postgresql://u:LITERAL@db/x" }
            """);
    List<String> startup = SecretReferences.problems(literal, Set.of("env", "file"));
    assertEquals(1, startup.size(), startup.toString());
    assertTrue(startup.get(0).contains("registries.quay.io.password"), startup.get(0));
    assertFalse(startup.get(0).contains("LITERAL"), startup.get(0));
  }
}
