package dev.rollgate.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, 2.42) on a free port over a
 * temporary storage directory, scraping every second the targets a file_sd file lists (the local
 * platform's {@code prometheus/targets.json}). Fails, never skips, when the binary is missing,
 * saying how to install it; {@code scripts/test} installs it.
 */
public final class PrometheusServer implements AutoCloseable {

  /** What is missing and how to install it, for the message when the binary is absent. */
  static String install(String path) {
    return "the metrics gate's tests need Debian's prometheus package (Prometheus 2.42), and no"
        + " 'prometheus' binary is on the PATH ("
        + path
        + "). Install it with: apt-get install prometheus   (scripts/test does when it runs as"
        + " root; or set ROLLGATE_PROMETHEUS to the path of a Prometheus 2.x binary)";
  }

  private final Process process;
  private final URI url;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusServer(Process process, URI url, Path log) {
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /**
   * Starts Prometheus in {@code dir}, scraping the targets of {@code fileSd} (a file_sd JSON file,
   * which may not exist yet: Prometheus picks it up when it appears) every second as job {@code
   * rollgate}.
   */
  public static PrometheusServer start(Path dir, Path fileSd) throws IOException {
    Path binary = binary(System.getenv());
    int port = freePort();
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
            .formatted(fileSd.toAbsolutePath()));
    Path log = dir.resolve("prometheus.log");
    Process p =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=info")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusServer server = new PrometheusServer(p, URI.create("http://127.0.0.1:" + port), log);
    server.awaitReady();
    return server;
  }

  /** The binary: ROLLGATE_PROMETHEUS, else prometheus on the PATH. */
  static Path binary(Map<String, String> env) {
    String given = env.get("ROLLGATE_PROMETHEUS");
    String path = env.getOrDefault("PATH", "");
    if (given != null && !given.isBlank()) {
      Path p = Path.of(given);
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException(
            "ROLLGATE_PROMETHEUS=" + given + " is not an executable file; " + install(path));
      }
      return p;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "prometheus");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(install(path));
  }

  private void awaitReady() throws IOException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "prometheus exited with " + process.exitValue() + " at start:\n" + logText());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(url.resolve("/-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for prometheus", e);
      }
      try {
        process.waitFor(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for prometheus", e);
      }
    }
    close();
    throw new IllegalStateException(
        "prometheus did not answer /-/ready at " + url + " within 30 s:\n" + logText());
  }

  /** The server's base URL, {@code http://127.0.0.1:<port>}. */
  public URI url() {
    return url;
  }

  /** The scrape targets Prometheus knows now ({@code /api/v1/targets}), for failure messages. */
  public String targets() {
    try {
      return http.send(
              HttpRequest.newBuilder(url.resolve("/api/v1/targets"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "(no targets: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  /** What Prometheus logged, for failure messages. */
  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
