package dev.rollgate.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.port.DigestResolver;
import dev.rollgate.core.port.RegistryException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DigestResolver} does, proven against a registry the subclass publishes images
 * to: a tag resolves to its manifest's digest, a multi-platform tag to its index's, a moved tag to
 * where it points now, and a missing tag or repository is "not found", never worth a retry.
 */
public abstract class DigestResolverContract {

  protected abstract DigestResolver resolver();

  /** The request for {@code repository:tag} at the registry the subclass publishes to. */
  protected abstract DigestResolver.Request request(String repository, String tag);

  /** Publishes a single-platform image; returns its manifest's digest. */
  protected abstract String publishImage(String repository, String tag, String content)
      throws Exception;

  /** Publishes a multi-platform image (an index of two platforms); returns the index's digest. */
  protected abstract String publishIndex(String repository, String tag, String content)
      throws Exception;

  /** Points {@code tag} at another manifest the repository holds. */
  protected abstract void retag(String repository, String tag, String digest) throws Exception;

  protected static String aRepository() {
    return "team/shop-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void resolve_shouldAnswerTheManifestDigest_whenTheTagNamesOneImage() throws Exception {
    // GIVEN a single-platform image tagged v1
    String repository = aRepository();
    String digest = publishImage(repository, "v1", "one");
    // WHEN v1 is resolved
    DigestResolver.Resolved resolved = resolver().resolve(request(repository, "v1"));
    // THEN the answer is the manifest's digest
    assertEquals(digest, resolved.digest());
  }

  @Test
  void resolve_shouldAnswerTheIndexDigest_whenTheTagNamesAMultiPlatformImage() throws Exception {
    // GIVEN a multi-platform image: an index over two platform manifests
    String repository = aRepository();
    String index = publishIndex(repository, "v2", "multi");
    // WHEN its tag is resolved
    DigestResolver.Resolved resolved = resolver().resolve(request(repository, "v2"));
    // THEN the index is what the tag pins, not one platform's manifest
    assertEquals(index, resolved.digest());
    assertTrue(
        resolved.mediaType() == null
            || resolved.mediaType().contains("index")
            || resolved.mediaType().contains("list"),
        resolved.mediaType());
  }

  @Test
  void resolve_shouldAnswerWhereTheTagPointsNow_whenItMoved() throws Exception {
    // GIVEN v1 on one image, then moved to another
    String repository = aRepository();
    String first = publishImage(repository, "v1", "first");
    String second = publishImage(repository, "other", "second");
    assertEquals(first, resolver().resolve(request(repository, "v1")).digest());
    retag(repository, "v1", second);
    // WHEN v1 is resolved again
    // THEN the answer follows the tag: pinning happens once, in the caller, not here
    assertEquals(second, resolver().resolve(request(repository, "v1")).digest());
    assertNotEquals(first, second);
  }

  @Test
  void resolve_shouldSayNotFound_notRetryable_whenTheTagDoesNotExist() throws Exception {
    // GIVEN a repository without tag v9
    String repository = aRepository();
    publishImage(repository, "v1", "only");
    // WHEN v9 is resolved
    RegistryException e =
        assertThrows(RegistryException.class, () -> resolver().resolve(request(repository, "v9")));
    // THEN it is not found, and asking again will not help
    assertEquals(RegistryException.Kind.NOT_FOUND, e.kind(), e.getMessage());
    assertFalse(e.retryable());
  }

  @Test
  void resolve_shouldSayNotFound_whenTheRepositoryDoesNotExist() {
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () -> resolver().resolve(request("team/never-pushed-" + UUID.randomUUID(), "v1")));
    assertEquals(RegistryException.Kind.NOT_FOUND, e.kind(), e.getMessage());
  }
}
