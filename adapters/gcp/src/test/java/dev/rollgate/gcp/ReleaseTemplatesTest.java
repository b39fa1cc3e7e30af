package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.RevisionTemplate;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.testing.Deployments;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseTemplatesTest {

  private static final String DNS_LABEL = "[a-z]([-a-z0-9]{0,61}[a-z0-9])?";

  @Test
  void revisionName_shouldBeTheServiceAndTheId_whenTheIdFits() {
    // GIVEN / WHEN / THEN
    assertEquals("shop-d-1", ReleaseTemplates.revisionName("shop", "d-1"));
    assertEquals(
        "shop-3f2a9c4e-1b2d-4e5f-8a9b-0c1d2e3f4a5b",
        ReleaseTemplates.revisionName("shop", "3f2a9c4e-1b2d-4e5f-8a9b-0c1d2e3f4a5b"));
  }

  @Test
  void revisionName_shouldStayAValidDistinctName_whenTheIdIsLongOrOdd() {
    // GIVEN a 49-character service name, the longest Cloud Run takes
    String service = "s" + "x".repeat(48);
    String id1 = "3f2a9c4e-1b2d-4e5f-8a9b-0c1d2e3f4a5b";
    String id2 = "3f2a9c4e-1b2d-4e5f-8a9b-0c1d2e3f4a5c";

    // WHEN
    String a = ReleaseTemplates.revisionName(service, id1);
    String b = ReleaseTemplates.revisionName(service, id2);
    String odd = ReleaseTemplates.revisionName("shop", "Deploy_#7--");

    // THEN each is a DNS label of at most 63 characters, prefixed by the service, and distinct
    for (String name : List.of(a, b, odd)) {
      assertTrue(name.matches(DNS_LABEL), name);
      assertTrue(name.length() <= 63, name);
    }
    assertTrue(a.startsWith(service + "-"), a);
    assertNotEquals(a, b);
    assertTrue(odd.startsWith("shop-deploy-7-"), odd);
    assertEquals(odd, ReleaseTemplates.revisionName("shop", "Deploy_#7--"), "deterministic");
  }

  @Test
  void release_shouldChangeOnlyTheImageAndTheName_whenTheTemplateHasTwoContainers() {
    // GIVEN
    RevisionTemplate serving =
        RevisionTemplate.newBuilder()
            .putLabels(ReleaseTemplates.PLACEHOLDER_LABEL, "true")
            .putLabels("team", "shop")
            .setServiceAccount("run@p.iam.gserviceaccount.com")
            .addContainers(
                Container.newBuilder()
                    .setName("app")
                    .setImage("old")
                    .addEnv(EnvVar.newBuilder().setName("A").setValue("1")))
            .addContainers(Container.newBuilder().setName("proxy").setImage("proxy:1"))
            .build();
    ImageRef image = new ImageRef("r.test", "shop", "v1", Deployments.digest(1));

    // WHEN
    RevisionTemplate release = ReleaseTemplates.release(serving, 0, "shop-d-1", image);

    // THEN
    assertEquals(image.pinned(), release.getContainers(0).getImage());
    assertEquals("shop-d-1", release.getRevision());
    assertEquals(
        serving.toBuilder()
            .removeLabels(ReleaseTemplates.PLACEHOLDER_LABEL)
            .setRevision("shop-d-1")
            .setContainers(0, serving.getContainers(0).toBuilder().setImage(image.pinned()))
            .build(),
        release);
  }

  @Test
  void containerIndex_shouldAskForTheContainer_whenSeveralAndNoneNamed() {
    // GIVEN
    List<Container> two =
        List.of(
            Container.newBuilder().setName("app").build(),
            Container.newBuilder().setName("proxy").build());

    // WHEN
    PlatformException e =
        assertThrows(
            PlatformException.class,
            () -> ReleaseTemplates.containerIndex(two, null, "service 'x'"));

    // THEN
    assertTrue(e.getMessage().contains("target.container"), e.getMessage());
    assertTrue(e.getMessage().contains("'proxy'"), e.getMessage());
  }
}
