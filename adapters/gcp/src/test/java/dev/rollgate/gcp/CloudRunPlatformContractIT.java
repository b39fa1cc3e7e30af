package dev.rollgate.gcp;

import dev.rollgate.contract.ServicePlatformContract;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.testing.Deployments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The ServicePlatform contract against the Cloud Run fake, through Google's google-cloud-run client
 * in-process: each contract service is created by CreateService with a placeholder revision first,
 * as infra/gcp creates services.
 */
class CloudRunPlatformContractIT extends ServicePlatformContract {

  private static CloudRunFakeHarness fake;
  private static ServicePlatform platform;

  @BeforeAll
  static void start() throws Exception {
    fake = new CloudRunFakeHarness();
    platform = fake.platform(Clock.system());
  }

  @AfterAll
  static void stop() throws Exception {
    fake.close();
  }

  @Override
  protected ServicePlatform platform() {
    return platform;
  }

  @Override
  protected TargetSpec target(String service) {
    try {
      fake.createPlaceholderService(service);
    } catch (Exception e) {
      throw new IllegalStateException("could not create service " + service + ": " + e, e);
    }
    return CloudRunFakeHarness.target(service, null);
  }

  @Override
  protected ImageRef healthyImage(int n) {
    return new ImageRef("europe-docker.pkg.dev", "p/shop/shop", "v" + n, Deployments.digest(n));
  }
}
