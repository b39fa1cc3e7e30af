package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.testing.EngineHarness;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

class AwsAutoConfigurationTest {

  private static AnnotationConfigApplicationContext context(Map<String, Object> properties) {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(new MapPropertySource("test", properties));
    Manifest manifest =
        ManifestLoader.parse(EngineHarness.manifest(1), "rollgate.yaml", Path.of("."));
    context.registerBean(Manifest.class, () -> manifest);
    context.register(AwsAutoConfiguration.class);
    context.refresh();
    return context;
  }

  @Test
  void awsAutoConfiguration_shouldRegisterTheAdaptersWithoutBuildingClients_whenEnabled() {
    // GIVEN / WHEN
    try (AnnotationConfigApplicationContext context =
        context(Map.of("rollgate.aws.enabled", "true", "rollgate.aws.region", "eu-west-1"))) {

      // THEN
      assertEquals("ecs", context.getBean(ServicePlatform.class).name());
      assertEquals("ecs-task", context.getBean(MigrationRunner.class).tool());
      assertEquals(Set.of("aws-sm"), context.getBean(SecretResolver.class).schemes());
      AwsAdapter aws = context.getBean(AwsAdapter.class);
      assertEquals("eu-west-1", aws.settings().region());
      assertEquals(0, aws.clientsBuilt(), "SDK clients are built on first use, not at start");
    }
  }

  @Test
  void awsAutoConfiguration_shouldRegisterNothing_whenNotEnabled() {
    // GIVEN / WHEN
    try (AnnotationConfigApplicationContext context = context(Map.of())) {

      // THEN
      assertTrue(context.getBeansOfType(ServicePlatform.class).isEmpty());
      assertTrue(context.getBeansOfType(AwsAdapter.class).isEmpty());
    }
  }
}
