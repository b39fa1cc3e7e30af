package dev.rollgate.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one image-reference parser that the decoders and the core share. */
class ImageReferenceTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  private static String refused(String reference) {
    return assertThrows(
            IllegalArgumentException.class, () -> ImageReference.parse(reference), reference)
        .getMessage();
  }

  @Test
  void parse_shouldTakeTheHostWithItsPort_whenTheRegistryHasAPort() {
    // GIVEN a registry with a port and a nested repository
    // WHEN parsed
    ImageReference ref = ImageReference.parse("localhost:5000/a/b:v1");
    // THEN the port stays with the host and the colon of the tag is the tag's
    assertEquals(new ImageReference("localhost:5000", "a/b", "v1", null), ref);
  }

  @Test
  void parse_shouldKeepBoth_whenATagAndADigestAreGiven() {
    // GIVEN a tag and a digest WHEN parsed THEN both are kept
    assertEquals(
        new ImageReference("registry.example.com", "team/shop", "v1.4.2", DIGEST),
        ImageReference.parse("registry.example.com/team/shop:v1.4.2@" + DIGEST));
  }

  @Test
  void parse_shouldHaveNoTag_whenOnlyADigestIsGiven() {
    // GIVEN a digest only WHEN parsed THEN the tag is null, not 'latest'
    assertEquals(
        new ImageReference("localhost", "shop", null, DIGEST),
        ImageReference.parse("localhost/shop@" + DIGEST));
  }

  @Test
  void parse_shouldLeaveTheRegistryUnknown_whenTheFirstSegmentIsNoHost() {
    // GIVEN Docker Hub style short names WHEN parsed THEN no registry is made up
    assertEquals(new ImageReference(null, "nginx", null, null), ImageReference.parse("nginx"));
    assertEquals(
        new ImageReference(null, "team/shop", "v1", null), ImageReference.parse("team/shop:v1"));
  }

  @Test
  void parse_shouldReadAnIpv4RegistryWithAPort_whenGiven() {
    // GIVEN an IPv4 registry WHEN parsed THEN it is the registry (IPv6 literals are not supported)
    assertEquals("10.0.0.1:5000", ImageReference.parse("10.0.0.1:5000/shop:v1").registry());
    refused("[::1]:5000/shop:v1");
  }

  @Test
  void parse_shouldRefuse_whenAnythingIsUpperCase() {
    // GIVEN upper case in the repository, the registry host or the digest
    // WHEN parsed THEN refused rather than lower-cased
    assertTrue(refused("Team/Shop").contains("not a repository name"));
    assertTrue(refused("Registry.Example.com/team/shop").contains("registry host"));
    assertTrue(refused("team/shop@" + DIGEST.toUpperCase()).contains("sha256 digest"));
    // AND a tag may hold capitals, as registries allow
    assertEquals("V1", ImageReference.parse("team/shop:V1").tag());
  }

  @Test
  void parse_shouldRefuse_whenItIsAUrlOrPadded() {
    // GIVEN a scheme or spaces WHEN parsed THEN refused, naming the fix
    assertTrue(refused("https://registry.test/team/shop").contains("drop the scheme"));
    assertTrue(refused(" team/shop").contains("spaces"));
    assertTrue(refused("team/shop\t").contains("spaces"));
  }

  @Test
  void parse_shouldRefuse_whenAPartIsEmpty() {
    // GIVEN empty parts WHEN parsed THEN each is refused
    for (String reference :
        new String[] {
          "", "   ", "team/shop:", "team/shop@", ":v1", "registry.test/", "a//b", "/a"
        }) {
      refused(reference);
    }
    assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(null));
  }

  @Test
  void parse_shouldRefuse_whenTheDigestIsNotAStrictSha256() {
    // GIVEN digests of another algorithm, cut short or too long WHEN parsed THEN refused
    for (String digest :
        new String[] {
          "sha512:" + "ab".repeat(64),
          "sha256:abc",
          "sha256:" + "a".repeat(65),
          "sha256:" + "g".repeat(64)
        }) {
      assertTrue(refused("team/shop@" + digest).contains("'sha256:' and 64 lower-case hex"));
    }
  }

  @Test
  void parse_shouldRefuse_whenAPartIsTooLong() {
    // GIVEN a tag of 129, a repository of 256 and a host of 256 characters
    // WHEN parsed THEN refused
    assertEquals(128, ImageReference.parse("shop:" + "t".repeat(128)).tag().length());
    refused("shop:" + "t".repeat(129));
    refused("a".repeat(256));
    refused("a".repeat(251) + ".test/shop");
  }

  @Test
  void parse_shouldRefuse_whenTheTagIsNoTag() {
    // GIVEN tags a registry would not accept WHEN parsed THEN refused
    for (String tag : new String[] {"-v1", ".v1", "v 1", "v1!"}) {
      assertTrue(refused("team/shop:" + tag).contains("tag"), tag);
    }
    // AND a '/' or a second ':' after the tag's colon leaves no valid repository
    refused("team/shop:v1/x");
    refused("team/shop:v:1");
  }

  @Test
  void split_shouldNotCheckTheParts_whenASenderWroteThem() {
    // GIVEN what a sender wrote, upper case and all WHEN split THEN the parts are as written
    ImageReference ref = ImageReference.split("Reg.Test/Team/Shop:v1@SHA256:X");
    assertEquals(new ImageReference("Reg.Test", "Team/Shop", "v1", "SHA256:X"), ref);
    assertNull(ImageReference.split("shop").tag());
  }

  @Test
  void isDigest_shouldAcceptOnlyLowerCaseSha256_whenChecked() {
    // GIVEN / WHEN / THEN the strict digest rule
    assertTrue(ImageReference.isDigest(DIGEST));
    assertFalse(ImageReference.isDigest(DIGEST.toUpperCase()));
    assertFalse(ImageReference.isDigest(null));
  }
}
