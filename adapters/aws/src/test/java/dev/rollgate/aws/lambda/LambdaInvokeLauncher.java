package dev.rollgate.aws.lambda;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * Runs one event through the Lambda artifact's handler the way the Lambda Java runtime does: a new
 * {@link FunctionInvoker} (so Spring starts with {@code MAIN_CLASS} and {@code
 * SPRING_CLOUD_FUNCTION_DEFINITION} from the environment), then {@code handleRequest} with a {@link
 * LocalLambdaContext}; prints the response on stdout. Without {@code ROLLGATE_LEDGER_URL} the
 * ledger is an embedded PostgreSQL whose data stays in {@code rollgate.invoke.home} (default {@code
 * .rollgate/invoke}). Used by {@code scripts/rollgate invoke aws}; not part of the artifact.
 */
public final class LambdaInvokeLauncher {

  private LambdaInvokeLauncher() {}

  /** Arguments: the event file ({@code -} for stdin). */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: LambdaInvokeLauncher EVENT_FILE|-");
      System.exit(64);
    }
    String function = System.getenv(RollgateLambda.ENV_FUNCTION_DEFINITION);
    if (blank(function) && System.getProperty("rollgate.invoke.handler") == null) {
      System.err.println(
          "error: set "
              + RollgateLambda.ENV_FUNCTION_DEFINITION
              + " to one of "
              + RollgateLambda.FUNCTIONS);
      System.exit(64);
    }
    byte[] event =
        "-".equals(args[0]) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(args[0]));
    EmbeddedPostgres ledger = null;
    if (blank(System.getenv(RollgateLambda.ENV_LEDGER_URL))
        && blank(System.getProperty("rollgate.ledger-url"))
        && System.getProperty("rollgate.invoke.handler") == null) {
      ledger =
          embeddedLedger(Path.of(System.getProperty("rollgate.invoke.home", ".rollgate/invoke")));
      System.setProperty(
          "rollgate.ledger-url",
          "jdbc:postgresql://localhost:" + ledger.getPort() + "/postgres?user=postgres");
    }
    // stdout carries only the response; everything the handler logs goes to stderr.
    PrintStream stdout = System.out;
    System.setOut(System.err);
    int exit = 0;
    try {
      RequestStreamHandler handler = handler();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = new java.io.ByteArrayInputStream(event)) {
        handler.handleRequest(in, out, LocalLambdaContext.of(blank(function) ? "plain" : function));
      }
      stdout.println(out.toString(StandardCharsets.UTF_8));
    } catch (RuntimeException | IOException e) {
      // What Lambda answers for an unhandled exception.
      stdout.println(
          "{\"errorType\":\""
              + e.getClass().getName()
              + "\",\"errorMessage\":"
              + quote(String.valueOf(e.getMessage()))
              + "}");
      exit = 1;
    } finally {
      if (ledger != null) {
        ledger.close();
      }
    }
    System.exit(exit);
  }

  /**
   * The handler class, constructed the way the Lambda runtime does: {@code rollgate.invoke.handler}
   * (a {@link RequestStreamHandler}: Spring Cloud Function's {@link FunctionInvoker}, or the plain
   * one scripts/bench cold-start compares with), default rollgate's {@link RollgateHandler}.
   */
  private static RequestStreamHandler handler() {
    String name = System.getProperty("rollgate.invoke.handler");
    if (name == null) {
      return new RollgateHandler();
    }
    try {
      return (RequestStreamHandler) Class.forName(name).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("rollgate.invoke.handler: cannot construct " + name, e);
    }
  }

  private static EmbeddedPostgres embeddedLedger(Path home) throws IOException {
    Path data = home.toAbsolutePath().resolve("ledger");
    Files.createDirectories(data.getParent());
    return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String quote(String s) {
    return "\""
        + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "")
        + "\"";
  }
}
