package dev.rollgate.azure;

import dev.rollgate.contract.ServicePlatformContract;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.testing.Deployments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The ServicePlatform contract against the ARM fake, through Azure's SDK over HTTPS with its real
 * bearer-token policy: each contract app is created by the SDK's PUT in Multiple revision mode with
 * a placeholder image first, as infra/azure creates apps.
 */
class ContainerAppsPlatformContractIT extends ServicePlatformContract {

  private static ContainerAppsFakeHarness fake;
  private static ServicePlatform platform;

  @BeforeAll
  static void start() throws Exception {
    fake = new ContainerAppsFakeHarness();
    platform = fake.platform(Clock.system());
  }

  @AfterAll
  static void stop() {
    fake.close();
  }

  @Override
  protected ServicePlatform platform() {
    return platform;
  }

  @Override
  protected TargetSpec target(String service) {
    fake.createPlaceholderApp(service, "Multiple");
    return ContainerAppsFakeHarness.target(service, null);
  }

  @Override
  protected String serviceSetting() {
    return "app";
  }

  @Override
  protected ImageRef healthyImage(int n) {
    return new ImageRef("shopacr.azurecr.io", "shop", "v" + n, Deployments.digest(n));
  }
}
