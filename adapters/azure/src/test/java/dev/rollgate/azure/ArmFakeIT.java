package dev.rollgate.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.appcontainers.fluent.ContainerAppsApiClient;
import com.azure.resourcemanager.appcontainers.fluent.models.ContainerAppInner;
import com.azure.resourcemanager.appcontainers.fluent.models.RevisionInner;
import com.azure.resourcemanager.appcontainers.models.Configuration;
import com.azure.resourcemanager.appcontainers.models.Template;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ARM fake's invariants, through Azure's SDK as any client sees them: revisions per template
 * change, revisionSuffix reuse, Single mode, secrets' values never shown, the api-version.
 */
class ArmFakeIT {

  private static final String GROUP = ContainerAppsFakeHarness.GROUP;

  private ContainerAppsFakeHarness fake;
  private ContainerAppsApiClient arm;
  private String app;

  @BeforeEach
  void start() throws Exception {
    fake = new ContainerAppsFakeHarness();
    arm = fake.clients.containerApps(ContainerAppsFakeHarness.SUBSCRIPTION);
    app = ContainerAppsFakeHarness.fresh("arm");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void update_shouldMakeNoRevision_whenOnlyTheConfigurationChanges() {
    // GIVEN an app in Multiple mode
    fake.createPlaceholderApp(app, "Multiple");

    // WHEN only its configuration is patched
    arm.getContainerApps()
        .update(
            GROUP,
            app,
            new ContainerAppInner()
                .withConfiguration(new Configuration().withMaxInactiveRevisions(5)));

    // THEN no revision was made: a template change makes one, nothing else does
    assertEquals(1, fake.revisions(app).size());
    assertTrue(
        fake.fake.apiVersions().stream().allMatch("2025-01-01"::equals),
        fake.fake.apiVersions().toString());
  }

  @Test
  void update_shouldBeRefused_whenARevisionSuffixIsReusedWithAnotherTemplate() {
    // GIVEN a revision made with suffix 'one'
    fake.createPlaceholderApp(app, "Multiple");
    Template t = arm.getContainerApps().getByResourceGroup(GROUP, app).template();
    t.withRevisionSuffix("one").containers().get(0).withImage("shopacr.azurecr.io/shop:v1");
    arm.getContainerApps().update(GROUP, app, new ContainerAppInner().withTemplate(t));

    // WHEN the same suffix comes with another image
    t.containers().get(0).withImage("shopacr.azurecr.io/shop:v2");
    ManagementException e =
        assertThrows(
            ManagementException.class,
            () ->
                arm.getContainerApps().update(GROUP, app, new ContainerAppInner().withTemplate(t)));

    // THEN ARM refuses it, and the revision stays as it was
    assertEquals(400, e.getResponse().getStatusCode());
    assertEquals("ContainerAppRevisionSuffixConflict", e.getValue().getCode());
    assertEquals(List.of(fake.revisions(app).get(0), app + "--one"), fake.revisions(app));
  }

  @Test
  void update_shouldDeactivateTheOthers_whenTheAppIsInSingleMode() {
    // GIVEN an app in Single mode
    fake.createPlaceholderApp(app, "Single");

    // WHEN its template changes
    Template t = arm.getContainerApps().getByResourceGroup(GROUP, app).template();
    t.containers().get(0).withImage("shopacr.azurecr.io/shop:v1");
    arm.getContainerApps().update(GROUP, app, new ContainerAppInner().withTemplate(t));

    // THEN the new revision is the only active one, with all the traffic
    List<RevisionInner> revisions =
        arm.getContainerAppsRevisions().listRevisions(GROUP, app).stream().toList();
    assertEquals(2, revisions.size());
    assertFalse(revisions.get(0).active());
    assertTrue(revisions.get(1).active());
    assertEquals(100, revisions.get(1).trafficWeight());
  }

  @Test
  void get_shouldNeverShowSecretValues_whenTheAppHasSecrets() {
    // GIVEN
    fake.createApp(
        app,
        """
        {"location": "East US", "properties": {"environmentId": "%s",
          "configuration": {"activeRevisionsMode": "Multiple", "secrets": [{"name": "pw", "value": "s3cret"}]},
          "template": {"containers": [{"name": "shop", "image": "%s"}]}}}
        """
            .formatted(
                ContainerAppsFakeHarness.environmentId(), ContainerAppsFakeHarness.PLACEHOLDER));

    // WHEN
    ContainerAppInner read = arm.getContainerApps().getByResourceGroup(GROUP, app);

    // THEN the name only, as ARM answers
    assertEquals("pw", read.configuration().secrets().get(0).name());
    assertEquals(null, read.configuration().secrets().get(0).value());
    assertEquals("Succeeded", read.provisioningState().toString());
  }
}
