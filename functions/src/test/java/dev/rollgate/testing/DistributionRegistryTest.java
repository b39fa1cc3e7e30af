package dev.rollgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionRegistryTest {

  @Test
  void binary_shouldSayWhatIsMissingAndHowToInstallIt_whenNoDockerRegistryIsOnThePath(
      @TempDir Path empty) {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> DistributionRegistry.binary(Map.of("PATH", empty.toString())));
    assertTrue(
        e.getMessage().contains("no 'docker-registry' binary is on the PATH (" + empty + ")"),
        e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install docker-registry"), e.getMessage());
  }

  @Test
  void binary_shouldTakeTheOneNamed_whenRollgateDockerRegistryIsSet(@TempDir Path dir)
      throws Exception {
    Path registry = Files.createFile(dir.resolve("registry"));
    assertThrows(
        IllegalStateException.class,
        () -> DistributionRegistry.binary(Map.of("ROLLGATE_DOCKER_REGISTRY", registry.toString())));
    assertTrue(registry.toFile().setExecutable(true));
    assertEquals(
        registry,
        DistributionRegistry.binary(Map.of("ROLLGATE_DOCKER_REGISTRY", registry.toString())));
  }
}
