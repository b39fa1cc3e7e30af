package dev.rollgate.azure;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Azurite's Blob service (the npm package {@code azurite}, its {@code azurite-blob} command: no
 * queue or table service, so no fixed ports), started by the tests on a free port with in-memory
 * storage, stopped with them. Without {@code node}/{@code npx} the tests are skipped with a message
 * saying so and how to install them ({@code apt-get install nodejs npm}); the package itself is
 * fetched by {@code npx --yes} on first use.
 */
final class Azurite implements AutoCloseable {

  /**
   * Azurite's development account and its published key (Azurite's README, "Default Storage
   * Account").
   */
  static final String ACCOUNT = "devstoreaccount1";

  static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static final Duration START_DEADLINE = Duration.ofSeconds(120);

  private final Process process;
  private final int port;

  private Azurite(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts Azurite's Blob service, or skips the calling tests when node/npx are missing. */
  static Azurite start() throws IOException, InterruptedException {
    String npx = onPath("npx");
    assumeTrue(
        npx != null && onPath("node") != null,
        "Azurite needs node and npx, which are not on the PATH: install them (apt-get install nodejs"
            + " npm); npx fetches the azurite package itself");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(
                npx,
                "--yes",
                "-p",
                "azurite",
                "azurite-blob",
                "--inMemoryPersistence",
                "--skipApiVersionCheck",
                "--loose",
                "--disableTelemetry",
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                String.valueOf(port))
            .redirectErrorStream(true)
            .start();
    Azurite azurite = new Azurite(p, port);
    CompletableFuture<String> ready =
        CompletableFuture.supplyAsync(
            () -> {
              StringBuilder seen = new StringBuilder();
              BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
              try {
                for (String line; (line = r.readLine()) != null; ) {
                  seen.append(line).append('\n');
                  if (line.contains("successfully listens on")) {
                    drain(r);
                    return null;
                  }
                }
              } catch (IOException e) {
                seen.append(e);
              }
              return seen.toString();
            });
    try {
      String failure = ready.get(START_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      if (failure != null) {
        azurite.close();
        throw new IOException("Azurite stopped before listening:\n" + failure);
      }
    } catch (ExecutionException | TimeoutException e) {
      azurite.close();
      throw new IOException(
          "Azurite did not listen within " + START_DEADLINE.toSeconds() + "s (" + e + ")");
    }
    return azurite;
  }

  /** Azurite's Blob endpoint for the development account. */
  String blobEndpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  /** The connection string Azure's clients take for it. */
  String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName="
        + ACCOUNT
        + ";AccountKey="
        + KEY
        + ";BlobEndpoint="
        + blobEndpoint()
        + ";";
  }

  @Override
  public void close() throws InterruptedException {
    // npx starts node as a child: stop the children first, then npx itself.
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    Instant deadline = Instant.now().plusSeconds(10);
    if (!process.waitFor(
        Duration.between(Instant.now(), deadline).toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static void drain(BufferedReader r) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (r.readLine() != null) {
                  // keep the pipe flowing
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "azurite-output");
    t.setDaemon(true);
    t.start();
  }

  private static String onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, command);
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    return null;
  }
}
