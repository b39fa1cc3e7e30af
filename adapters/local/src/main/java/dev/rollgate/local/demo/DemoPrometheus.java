package dev.rollgate.local.demo;

import dev.rollgate.local.platform.PrometheusTargets;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's Prometheus (Debian's {@code prometheus} package, or the binary {@code
 * ROLLGATE_PROMETHEUS} names): scrapes every second the revisions the local platform lists in its
 * file_sd targets (docs/analysis.md), so that the production canary's gate has numbers.
 */
final class DemoPrometheus {

  private DemoPrometheus() {}

  /** Why the demo cannot start Prometheus here and how to install it; empty when it can. */
  static Optional<String> missing(Map<String, String> env) {
    if (DemoTools.binary(env, "ROLLGATE_PROMETHEUS", "prometheus").isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        (!env.getOrDefault("ROLLGATE_PROMETHEUS", "").isBlank()
                ? "ROLLGATE_PROMETHEUS="
                    + env.get("ROLLGATE_PROMETHEUS")
                    + " is not an executable file"
                : "no 'prometheus' binary on the PATH")
            + ": install it with 'sudo apt-get install prometheus' (Debian's package, Prometheus"
            + " 2.x) or set ROLLGATE_PROMETHEUS to a Prometheus 2.x binary");
  }

  /** Starts Prometheus in {@code dir}, scraping the targets of the platform state {@code state}. */
  static DemoTools.Server start(Path dir, Path platformState) throws IOException {
    Path binary =
        DemoTools.binary(System.getenv(), "ROLLGATE_PROMETHEUS", "prometheus").orElseThrow();
    Files.createDirectories(dir.resolve("data"));
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: rollgate
            file_sd_configs:
              - files: ['%s']
                refresh_interval: 1s
        """
            .formatted(PrometheusTargets.file(platformState).toAbsolutePath()));
    int port = DemoTools.freePort();
    return DemoTools.start(
        List.of(
            binary.toString(),
            "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + port,
            "--log.level=warn"),
        URI.create("http://127.0.0.1:" + port),
        dir.resolve("prometheus.log"),
        "/-/ready",
        List.of(200),
        Duration.ofSeconds(30));
  }
}
