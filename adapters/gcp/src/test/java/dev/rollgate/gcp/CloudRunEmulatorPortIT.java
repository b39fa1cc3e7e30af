package dev.rollgate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.CreateServiceRequest;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus.State;
import dev.rollgate.gcp.emulator.GcpEmulator;
import dev.rollgate.testing.Deployments;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a person does after {@code scripts/rollgate emulate gcp}: the emulator on a real port,
 * Google's client over Netty in plaintext (ROLLGATE_GCP_EMULATOR_HOST through {@link GcpClients}),
 * a service and a job created with the API's own create calls, then a release with its migration.
 */
class CloudRunEmulatorPortIT {

  @Test
  void rollOut_shouldServeTheRelease_whenDrivenOverTheEmulatorsPort() throws Exception {
    // GIVEN the emulator on a free port, and rollgate's clients pointed at it
    try (GcpEmulator emulator = GcpEmulator.onPort(0);
        GcpClients gcp =
            new GcpClients(CloudRunFakeHarness.SETTINGS.withEmulatorHost(emulator.host()));
        CloudRunClients clients = new CloudRunClients(gcp)) {
      assertTrue(emulator.host().matches("127\\.0\\.0\\.1:\\d+"), emulator.host());
      clients
          .services()
          .createServiceAsync(
              CreateServiceRequest.newBuilder()
                  .setParent(CloudRunFakeHarness.PARENT)
                  .setServiceId("shop")
                  .setService(
                      Service.newBuilder()
                          .setTemplate(
                              RevisionTemplate.newBuilder()
                                  .putLabels(ReleaseTemplates.PLACEHOLDER_LABEL, "true")
                                  .addContainers(
                                      Container.newBuilder()
                                          .setImage(CloudRunFakeHarness.PLACEHOLDER_IMAGE))))
                  .build())
          .get(10, TimeUnit.SECONDS);
      GcpFaults retries = CloudRunFakeHarness.retries(Clock.system(), 3);
      CloudRunPlatform platform =
          new CloudRunPlatform(new CloudRunServices(clients), retries, null);
      TargetSpec target =
          new TargetSpec(
              "cloudrun",
              Map.of(
                  "project", CloudRunFakeHarness.PROJECT,
                  "region", CloudRunFakeHarness.REGION,
                  "service", "shop"),
              "apps[0].environments.staging.target");
      ImageRef image =
          new ImageRef("europe-docker.pkg.dev", "p/shop/shop", "v1", Deployments.digest(1));

      // WHEN a release rolls out
      String revision = platform.rollOut(target, "d-1", image).id();

      // THEN it serves, at the service's own URI
      RolloutStatus status = platform.observe(target, revision);
      Instant deadline = Instant.now().plusSeconds(10);
      while (status.state() == State.IN_PROGRESS && Instant.now().isBefore(deadline)) {
        Clock.system().pause(Duration.ofMillis(20));
        status = platform.observe(target, revision);
      }
      assertEquals(State.READY, status.state(), status.detail());
      var state = platform.describe(target);
      assertEquals("shop-d-1", state.revision());
      assertEquals(image.pinned(), state.image().pinned());
      assertTrue(
          state.url().matches("https://shop-\\d{12}\\.europe-west1\\.run\\.app"), state.url());
    }
  }

  @Test
  void migrate_shouldRunTheJob_whenDrivenOverTheEmulatorsPort() throws Exception {
    // GIVEN the emulator on a free port, a job created over it
    try (GcpEmulator emulator = GcpEmulator.onPort(0);
        GcpClients gcp =
            new GcpClients(CloudRunFakeHarness.SETTINGS.withEmulatorHost(emulator.host()));
        CloudRunClients clients = new CloudRunClients(gcp)) {
      clients
          .jobs()
          .createJobAsync(
              com.google.cloud.run.v2.CreateJobRequest.newBuilder()
                  .setParent(CloudRunFakeHarness.PARENT)
                  .setJobId("shop-migrate")
                  .setJob(
                      com.google.cloud.run.v2.Job.newBuilder()
                          .setTemplate(
                              com.google.cloud.run.v2.ExecutionTemplate.newBuilder()
                                  .setTemplate(
                                      com.google.cloud.run.v2.TaskTemplate.newBuilder()
                                          .addContainers(
                                              Container.newBuilder()
                                                  .setImage(CloudRunFakeHarness.PLACEHOLDER_IMAGE)
                                                  .addCommand("migrate")))))
                  .build())
          .get(10, TimeUnit.SECONDS);
      CloudRunJobRunner runner =
          new CloudRunJobRunner(
              new CloudRunJobs(clients),
              CloudRunFakeHarness.retries(Clock.system(), 3),
              Clock.system(),
              CloudRunFakeHarness.SETTINGS);
      TargetSpec target = CloudRunFakeHarness.target("shop", "shop-migrate");

      // WHEN the release's migration runs
      MigrationRunner.Result result =
          runner.migrate(
              MigrationSpec.job(List.of("migrate"), List.of("up"), Map.of(), null),
              new MigrationRunner.Context(
                  "shop",
                  "staging",
                  "d-1",
                  new ImageRef("europe-docker.pkg.dev", "p/shop/shop", "v1", Deployments.digest(1)),
                  null,
                  null,
                  target));

      // THEN one execution ran and succeeded
      assertEquals(1, result.applied());
    }
  }
}
