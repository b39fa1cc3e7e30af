package dev.rollgate.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.testing.InMemoryPlatform;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryPlatformsTest {

  /** A platform that cannot split traffic, as ECS (which keeps the interface's default). */
  private static final class AllAtOnce implements ServicePlatform {
    @Override
    public String name() {
      return "ecs";
    }

    @Override
    public List<String> validate(TargetSpec target) {
      return List.of();
    }

    @Override
    public ServiceState describe(TargetSpec target) {
      return new ServiceState(null, null, null);
    }

    @Override
    public Revision rollOut(TargetSpec target, String deploymentId, ImageRef image) {
      return new Revision("r", "http://x");
    }

    @Override
    public RolloutStatus observe(TargetSpec target, String revision) {
      return RolloutStatus.ready("ready");
    }

    @Override
    public void restore(TargetSpec target, String revision) {}
  }

  private static Manifest manifest(String platform) {
    return ManifestLoader.parse(
        """
        apps:
          - name: shop
            image: registry.example.com/team/shop
            environments:
              production:
                target: { platform: %s, service: shop }
                strategy: { canary: { steps: [10, 100] } }
        """
            .formatted(platform),
        "rollgate.yaml",
        Path.of("/base"));
  }

  @Test
  void validate_shouldRefuseACanary_whenThePlatformCannotSplitTraffic() {
    // GIVEN ECS-like and traffic-splitting platforms
    Platforms platforms =
        new Platforms(List.of(new AllAtOnce(), new InMemoryPlatform()), List.of());

    // WHEN a canary environment on each is validated
    List<String> onEcs = platforms.validate(manifest("ecs"));
    List<String> onMemory = platforms.validate(manifest("memory"));

    // THEN ECS's is refused, saying what it supports and where a canary works
    assertEquals(
        List.of(
            "apps[0].environments.production.strategy.canary: platform 'ecs' cannot split traffic"
                + " between revisions, so it supports all-at-once releases only: remove"
                + " strategy.canary (platforms that split traffic here: memory)"),
        onEcs);
    assertEquals(List.of(), onMemory);
  }
}
