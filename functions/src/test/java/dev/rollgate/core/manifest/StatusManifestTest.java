package dev.rollgate.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code status: { read-token: REF }}: the status page's read token on the cloud entries. */
class StatusManifestTest {

  private static final String APPS =
      """
      apps:
        - name: shop
          image: docker.io/team/shop
          environments:
            staging:
              target: { platform: local, service: shop-staging, command: "run {port}" }
      """;

  private static Manifest parse(String status) {
    return ManifestLoader.parse(status + APPS, "rollgate.yaml", Path.of("/base"));
  }

  @Test
  void parse_shouldReadTheReadToken_asASecretReference() {
    Manifest m = parse("status: { read-token: aws-sm:rollgate/status-read-token }\n");
    SecretRef token = new SecretRef("aws-sm", "rollgate/status-read-token");
    assertEquals(token, m.status().readToken());
    // AND it is checked at startup like every secret reference
    assertEquals(token, SecretReferences.of(m).get("status.read-token"));
  }

  @Test
  void parse_shouldHaveNoReadToken_whenStatusIsNotSet() {
    assertNull(parse("").status().readToken());
  }

  @Test
  void parse_shouldNameThePath_whenTheReadTokenIsMissingOrNotAReference() {
    for (String bad : List.of("status: {}\n", "status: { read-token: hunter2 }\n")) {
      ManifestException e = assertThrows(ManifestException.class, () -> parse(bad));
      assertTrue(e.getMessage().contains("status.read-token"), e.getMessage());
      assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
    ManifestException unknown =
        assertThrows(ManifestException.class, () -> parse("status: { token: env:T }\n"));
    assertTrue(unknown.getMessage().contains("status.token"), unknown.getMessage());
  }

  @Test
  void problems_shouldNotRepeatTheValue_whenTheReadTokenIsALiteralWithAColon() {
    Manifest literal = parse("status: { read-token: \"s3cr3t:zebra\" }\n");
    List<String> startup = SecretReferences.problems(literal, Set.of("env", "file"));
    assertEquals(1, startup.size(), startup.toString());
    assertTrue(startup.get(0).contains("status.read-token"), startup.get(0));
    assertFalse(startup.get(0).contains("zebra"), startup.get(0));
  }
}
