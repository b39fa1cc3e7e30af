package dev.rollgate.gcp.functions;

import dev.rollgate.testing.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one event through the Cloud Functions artifact the way Cloud Functions does: a new JVM
 * running the Functions Framework's invoker ({@code java -jar java-function-invoker.jar --classpath
 * ARTIFACT --target ENTRY_POINT --port P}, {@code FUNCTION_SIGNATURE_TYPE} http or cloudevent), one
 * request posted to it (a CloudEvent in structured JSON as {@code application/cloudevents+json}),
 * its response printed on stdout, the invoker stopped. The function's environment is this
 * process's, plus {@code SPRING_CLOUD_FUNCTION_DEFINITION}; without {@code ROLLGATE_LEDGER_URL} the
 * ledger is an embedded PostgreSQL kept in {@code rollgate.invoke.home} (default {@code
 * .rollgate/invoke}), served from this process. Used by {@code scripts/rollgate invoke gcp}, the
 * packaged-artifact test and {@code scripts/bench cold-start gcp}; not part of the artifact.
 *
 * <p>Properties: {@code rollgate.invoke.invoker} (the invoker jar), {@code
 * rollgate.invoke.classpath} (the artifact, and any more jars), {@code rollgate.invoke.target}
 * (default {@link RollgateFunction#ENTRY_POINT}).
 */
public final class GcpInvokeLauncher {

  /** How long the invoker may take to listen (a cold JVM on a busy machine). */
  private static final Duration START = Duration.ofSeconds(90);

  private GcpInvokeLauncher() {}

  /** Arguments: FUNCTION EVENT_FILE|- [PATH]. */
  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: GcpInvokeLauncher FUNCTION EVENT_FILE|- [PATH]");
      System.exit(64);
    }
    byte[] event =
        "-".equals(args[1]) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(args[1]));
    EmbeddedPostgres ledger = null;
    String ledgerUrl = System.getenv(RollgateFunction.ENV_LEDGER_URL);
    if (blank(ledgerUrl)) {
      ledger =
          TestPostgres.kept(
              Path.of(System.getProperty("rollgate.invoke.home", ".rollgate/invoke"))
                  .resolve("ledger-gcp"));
      ledgerUrl = TestPostgres.url(ledger);
    }
    int exit;
    try {
      Result r =
          invoke(
              required("rollgate.invoke.invoker"),
              required("rollgate.invoke.classpath"),
              System.getProperty("rollgate.invoke.target", RollgateFunction.ENTRY_POINT),
              args[0],
              event,
              args.length == 3 ? args[2] : "/",
              Map.of(RollgateFunction.ENV_LEDGER_URL, ledgerUrl),
              ProcessBuilder.Redirect.INHERIT);
      System.err.println(
          "HTTP " + r.status() + " (" + r.signature() + " function " + args[0] + ")");
      System.out.println(r.body().isEmpty() ? "{\"statusCode\":" + r.status() + "}" : r.body());
      exit = r.status() >= 500 ? 1 : 0;
    } finally {
      if (ledger != null) {
        ledger.close();
      }
    }
    System.exit(exit);
  }

  /** What the function answered, and how it was deployed. */
  public record Result(int status, String body, String signature, long millis) {}

  /**
   * Starts the invoker jar in a new JVM serving {@code target} from {@code classpath} with {@code
   * function}, posts {@code event} to {@code path}, stops it. The signature is {@code
   * FUNCTION_SIGNATURE_TYPE}, else {@code cloudevent} for a structured CloudEvent and {@code http}
   * for anything else. {@code millis} runs from the fork to the answer: the cold start Cloud
   * Functions' first request sees.
   */
  public static Result invoke(
      String invoker,
      String classpath,
      String target,
      String function,
      byte[] event,
      String path,
      Map<String, String> env,
      ProcessBuilder.Redirect output)
      throws IOException, InterruptedException {
    String signature = System.getenv("FUNCTION_SIGNATURE_TYPE");
    if (blank(signature)) {
      signature = isCloudEvent(event) ? "cloudevent" : "http";
    }
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-jar", invoker, "--classpath", classpath));
    cmd.addAll(List.of("--target", target, "--port", String.valueOf(port)));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(output).redirectError(output);
    pb.environment().putAll(env);
    pb.environment().put(RollgateFunction.ENV_FUNCTION_DEFINITION, function);
    pb.environment().put("FUNCTION_SIGNATURE_TYPE", signature);
    long start = System.nanoTime();
    Process process = pb.start();
    try {
      awaitListening(process, port);
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofMinutes(6))
              .header(
                  "Content-Type",
                  signature.equals("cloudevent")
                      ? GcpMessages.CLOUDEVENTS_JSON
                      : "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(event))
              .build();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      return new Result(response.statusCode(), response.body(), signature, millis);
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Polls the port until the invoker listens; fails when it exits first or takes too long. */
  private static void awaitListening(Process process, int port) throws IOException {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "the Functions Framework invoker exited with "
                + process.exitValue()
                + " before listening on "
                + port
                + " (its output above says why)");
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
    throw new IOException("the invoker did not listen on " + port + " within " + START);
  }

  static boolean isCloudEvent(byte[] event) {
    String text = new String(event, StandardCharsets.UTF_8);
    return text.contains("\"specversion\"");
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (blank(value)) {
      throw new IllegalStateException(
          property + " is not set: scripts/rollgate invoke gcp sets it");
    }
    return value;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
