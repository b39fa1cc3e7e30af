package dev.rollgate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rollgate.core.port.DigestResolver.Request;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChallengeTest {

  @Test
  void parse_shouldReadRealmServiceAndScope_whenDockerHubChallenges() {
    // GIVEN the challenge registry-1.docker.io answers an anonymous manifest HEAD with
    Challenge c =
        Challenge.parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/nginx:pull\"");
    assertEquals("bearer", c.scheme());
    assertEquals("https://auth.docker.io/token", c.param("realm"));
    assertEquals("registry.docker.io", c.param("service"));
    assertEquals("repository:library/nginx:pull", c.param("scope"));
  }

  @Test
  void parse_shouldKeepCommasInQuotedValues_andReadUnquotedOnes() {
    Challenge c =
        Challenge.parse(
            "Bearer realm=\"https://quay.io/v2/auth\", service=quay.io,"
                + " scope=\"repository:team/api:pull,push\", error=\"insufficient_scope\"");
    assertEquals("quay.io", c.param("service"));
    assertEquals("repository:team/api:pull,push", c.param("scope"));
    assertEquals("insufficient_scope", c.param("error"));
  }

  @Test
  void parseAll_shouldReadEachHeader_whenBasicAndBearerAreOffered() {
    List<Challenge> all =
        Challenge.parseAll(
            List.of("Basic realm=\"Registry Realm\"", "Bearer realm=\"https://ghcr.io/token\""));
    assertEquals(List.of("basic", "bearer"), all.stream().map(Challenge::scheme).toList());
  }

  @Test
  void nameAndBase_shouldFollowDockerHub_whenTheHostIsDockerIo() {
    assertEquals(
        "library/nginx",
        RegistryApiDigestResolver.name(new Request("docker.io", null, "nginx", "1", null)));
    assertEquals(
        "team/shop",
        RegistryApiDigestResolver.name(new Request("docker.io", null, "team/shop", "1", null)));
    assertEquals(
        "nginx", RegistryApiDigestResolver.name(new Request("quay.io", null, "nginx", "1", null)));
    assertEquals(
        URI.create("https://registry-1.docker.io"),
        RegistryApiDigestResolver.base(new Request("index.docker.io", null, "x", "1", null)));
    assertEquals(
        URI.create("https://ghcr.io"),
        RegistryApiDigestResolver.base(new Request("ghcr.io", null, "o/x", "1", null)));
  }
}
