package dev.rollgate.aws;

import dev.rollgate.core.port.Clock;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * moto server ({@code python3 -m moto.server}) on a free port, started once per test run by this
 * JUnit extension and stopped when the run ends. Fails, never skips, when moto is missing.
 */
public final class MotoServer implements AutoCloseable {

  public static final String REGION = "us-east-1";
  public static final String ACCOUNT = "123456789012";
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
  static final String INSTALL = "moto is not installed: pip install 'moto[server]'==5.2.1";

  private final Process process;
  private final URI endpoint;
  private final Path log;

  private MotoServer(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
  }

  /** Registers with {@code @ExtendWith(MotoServer.Extension.class)}; inject a MotoServer. */
  public static final class Extension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
      shared(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
      return p.getParameter().getType() == MotoServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
      return shared(e);
    }

    private static MotoServer shared(ExtensionContext context) {
      return context
          .getRoot()
          .getStore(Namespace.create(MotoServer.class))
          .getOrComputeIfAbsent("moto", k -> start(), MotoServer.class);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Settings for clients of this moto: its endpoint, fake credentials, short timeouts. */
  public AwsSettings settings() {
    return settings(endpoint);
  }

  /** The same settings with another endpoint, e.g. a proxy in front of this moto. */
  public static AwsSettings settings(URI endpoint) {
    return AwsSettings.defaults()
        .withRegion(REGION)
        .withEndpoint(endpoint)
        .withCredentials(CREDENTIALS)
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20), 3);
  }

  /** A Secrets Manager client straight to moto, for test setup. */
  public SecretsManagerClient secretsManager() {
    return SecretsManagerClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(REGION))
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** An S3 client straight to moto, for test setup. */
  public S3Client s3() {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  static MotoServer start() {
    requireMoto("python3");
    int port = freePort();
    Path log;
    try {
      Path dir = Files.createDirectories(Path.of("target"));
      log = Files.createTempFile(dir, "moto-" + port + "-", ".log");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create moto's log file under target/", e);
    }
    Process process;
    try {
      process =
          new ProcessBuilder(
                  "python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String.valueOf(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(INSTALL + " (python3 could not start: " + e + ")", e);
    }
    MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port), log);
    server.awaitAnswer(Duration.ofSeconds(30));
    return server;
  }

  private void awaitAnswer(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "moto exited with " + process.exitValue() + " before answering: " + logTail());
      }
      try {
        http.send(
            HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        if (Instant.now().isAfter(deadline)) {
          close();
          throw new IllegalStateException(
              "moto did not answer on " + endpoint + " within " + timeout + ": " + logTail());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while waiting for moto", e);
      }
      try {
        Clock.system().pause(Duration.ofMillis(50));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for moto", e);
      }
    }
  }

  /** Fails with {@link #INSTALL} unless {@code python} can import moto's server. */
  static void requireMoto(String python) {
    try {
      Process check =
          new ProcessBuilder(python, "-c", "import moto, moto.server")
              .redirectErrorStream(true)
              .start();
      String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!check.waitFor(60, TimeUnit.SECONDS)) {
        check.destroyForcibly();
        throw new IllegalStateException(INSTALL + " (python3 -c 'import moto' did not finish)");
      }
      if (check.exitValue() != 0) {
        List<String> lines = output.strip().lines().toList();
        throw new IllegalStateException(
            INSTALL
                + " (python3 said: "
                + (lines.isEmpty() ? "" : lines.get(lines.size() - 1))
                + ")");
      }
    } catch (IOException e) {
      throw new IllegalStateException(INSTALL + " (no python3 on the PATH: " + e + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking for moto", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port for moto", e);
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
