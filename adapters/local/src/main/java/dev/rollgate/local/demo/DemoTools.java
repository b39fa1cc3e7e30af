package dev.rollgate.local.demo;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The servers the demo starts from Debian's packages (Prometheus, the Distribution registry): found
 * on the PATH or by an environment variable, started on a free loopback port, awaited until they
 * answer, stopped at the end. A missing binary is not an error: the demo says how to install it and
 * skips what needs it.
 */
final class DemoTools {

  private DemoTools() {}

  /** A started server process, its base URL and its log file. */
  record Server(Process process, URI url, Path log) implements AutoCloseable {

    String logText() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }

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

  /** The binary {@code variable} names, else {@code name} on the PATH; empty when neither is. */
  static Optional<Path> binary(Map<String, String> env, String variable, String name) {
    String given = env.get(variable);
    if (given != null && !given.isBlank()) {
      Path p = Path.of(given);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Starts {@code command} (its output to {@code log}) and waits until GET {@code readyPath}
   * answers one of {@code ready} within {@code wait}.
   */
  static Server start(
      List<String> command, URI url, Path log, String readyPath, List<Integer> ready, Duration wait)
      throws IOException {
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Server server = new Server(p, url, log);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Instant deadline = Instant.now().plus(wait);
    try {
      while (Instant.now().isBefore(deadline)) {
        if (!p.isAlive()) {
          throw new IOException(
              command.get(0) + " exited with " + p.exitValue() + ":\n" + server.logText());
        }
        try {
          HttpResponse<Void> r =
              http.send(
                  HttpRequest.newBuilder(url.resolve(readyPath))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (ready.contains(r.statusCode())) {
            return server;
          }
        } catch (IOException e) {
          // not listening yet
        }
        p.waitFor(100, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
      throw new IOException("interrupted while waiting for " + command.get(0), e);
    }
    server.close();
    throw new IOException(
        command.get(0) + " did not answer " + readyPath + " at " + url + " within " + wait);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
