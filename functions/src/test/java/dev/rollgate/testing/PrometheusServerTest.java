package dev.rollgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusServerTest {

  @Test
  void binary_shouldSayWhatIsMissingAndHowToInstallIt_whenNoPrometheusIsOnThePath(
      @TempDir Path empty) {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> PrometheusServer.binary(Map.of("PATH", empty.toString())));
    assertTrue(
        e.getMessage().contains("no 'prometheus' binary is on the PATH (" + empty + ")"),
        e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install prometheus"), e.getMessage());
  }

  @Test
  void binary_shouldTakeTheOneNamed_whenRollgatePrometheusIsSet(@TempDir Path dir)
      throws Exception {
    Path prometheus = Files.createFile(dir.resolve("prometheus"));
    assertThrows(
        IllegalStateException.class,
        () -> PrometheusServer.binary(Map.of("ROLLGATE_PROMETHEUS", prometheus.toString())));
    assertTrue(prometheus.toFile().setExecutable(true));
    assertEquals(
        prometheus, PrometheusServer.binary(Map.of("ROLLGATE_PROMETHEUS", prometheus.toString())));
  }
}
