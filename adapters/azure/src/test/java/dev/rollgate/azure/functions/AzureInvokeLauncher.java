package dev.rollgate.azure.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.azure.functions.worker.LocalJavaWorker;
import dev.rollgate.testing.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one event through the packaged Function App the way the Functions host would have a Java
 * function called: it reads the function's {@code function.json} in the app folder (the unpacked
 * artifact of {@code scripts/package azure}), as the host does, and starts a new JVM running {@link
 * LocalJavaWorker} (the stand-in for Azure's Java worker, which is not published) with the
 * function's {@code scriptFile}, {@code entryPoint} and trigger type, and the event. An Event Grid
 * delivery holding an array of events is one invocation per event, as the host splits it. The
 * function's environment is this process's; without {@code ROLLGATE_LEDGER_URL} the ledger is an
 * embedded PostgreSQL kept in {@code rollgate.invoke.home} (default {@code .rollgate/invoke}),
 * served from this process. Used by {@code scripts/rollgate invoke azure}, the packaged-artifact
 * test and {@code scripts/bench cold-start azure}; not part of the artifact.
 *
 * <p>Properties: {@code rollgate.invoke.app} (the Function App folder), {@code
 * rollgate.invoke.worker} (the worker stand-in's class path: its jar and the
 * azure-functions-java-core-library, which the real worker provides).
 */
public final class AzureInvokeLauncher {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AzureInvokeLauncher() {}

  /** Arguments: FUNCTION EVENT_FILE|- [--path P] [--method M] [--header 'N: v']... */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: AzureInvokeLauncher FUNCTION EVENT_FILE|- [--path P] [--method M] [--header H]");
      System.exit(64);
    }
    byte[] event =
        "-".equals(args[1]) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(args[1]));
    Http http = Http.parse(List.of(args).subList(2, args.length));
    EmbeddedPostgres ledger = null;
    String ledgerUrl = System.getenv(RollgateAzureFunctions.ENV_LEDGER_URL);
    if (ledgerUrl == null || ledgerUrl.isBlank()) {
      Path home = Path.of(System.getProperty("rollgate.invoke.home", ".rollgate/invoke"));
      ledger = TestPostgres.kept(home.resolve("ledger-azure"));
      ledgerUrl = TestPostgres.url(ledger);
    }
    int exit;
    try {
      Result r =
          invoke(
              Path.of(required("rollgate.invoke.app")),
              required("rollgate.invoke.worker"),
              args[0],
              event,
              http,
              Map.of(RollgateAzureFunctions.ENV_LEDGER_URL, ledgerUrl),
              ProcessBuilder.Redirect.INHERIT);
      r.lines().forEach(System.out::println);
      exit = r.exit();
    } finally {
      if (ledger != null) {
        ledger.close();
      }
    }
    System.exit(exit);
  }

  /**
   * An HTTP trigger's request line and headers ({@code --path}, {@code --method}, {@code
   * --header}).
   */
  public record Http(String path, String method, List<String> headers) {

    /** No path, the binding's first method, no headers. */
    public static final Http DEFAULT = new Http(null, null, List.of());

    static Http parse(List<String> args) {
      String path = null;
      String method = null;
      List<String> headers = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(a + ": a value is missing");
        }
        switch (a) {
          case "--path" -> path = args.get(++i);
          case "--method" -> method = args.get(++i);
          case "--header" -> headers.add(args.get(++i));
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      return new Http(path, method, headers);
    }
  }

  /**
   * What the function answered: the worker's exit status, its result lines (one per event) and the
   * milliseconds from the fork to the first answer (what the first event of a new instance waits
   * for, the JVM's start and the function's first call included).
   */
  public record Result(int exit, List<String> lines, long millis) {}

  /**
   * Starts the worker stand-in in a new JVM for {@code function} of the Function App in {@code
   * app}, with {@code event}, and waits for it to end. {@code env} is added to this process's
   * environment.
   */
  public static Result invoke(
      Path app,
      String workerClasspath,
      String function,
      byte[] event,
      Http http,
      Map<String, String> env,
      ProcessBuilder.Redirect stderr)
      throws IOException, InterruptedException {
    Path functionJson = app.resolve(function).resolve("function.json");
    if (!Files.isRegularFile(functionJson)) {
      throw new IllegalArgumentException(
          "no function '"
              + function
              + "' in "
              + app
              + " (the Function App has: "
              + functionsIn(app)
              + ")");
    }
    JsonNode json = JSON.readTree(functionJson.toFile());
    Path jar = functionJson.getParent().resolve(json.path("scriptFile").asText()).normalize();
    String entryPoint = json.path("entryPoint").asText();
    int dot = entryPoint.lastIndexOf('.');
    JsonNode trigger = null;
    for (JsonNode b : json.path("bindings")) {
      if ("in".equals(b.path("direction").asText())
          && b.path("type").asText().endsWith("Trigger")) {
        trigger = b;
      }
    }
    if (trigger == null || dot < 0) {
      throw new IllegalStateException(functionJson + " has no trigger binding or entry point");
    }
    String type = trigger.path("type").asText();
    Path work = Files.createTempDirectory("rollgate-invoke-azure");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-cp", workerClasspath, LocalJavaWorker.class.getName()));
    cmd.addAll(
        List.of(jar.toString(), entryPoint.substring(0, dot), entryPoint.substring(dot + 1), type));
    if (type.equals("httpTrigger")) {
      String route = trigger.path("route").asText(function);
      String path = http.path() == null ? "/api/" + route : http.path();
      if (path.contains("{")) {
        throw new IllegalArgumentException(
            function + "'s route is /api/" + route + ": give the request's path with --path");
      }
      String method =
          http.method() == null ? trigger.path("methods").path(0).asText("POST") : http.method();
      cmd.addAll(List.of("--method", method, "--url", "http://localhost:7071" + path));
      for (String h : http.headers()) {
        cmd.addAll(List.of("--header", h));
      }
    }
    // The host invokes an Event Grid function once per event of a delivery.
    JsonNode parsed = type.equals("httpTrigger") ? null : readJson(event);
    if (parsed != null && parsed.isArray() && type.equals("eventGridTrigger")) {
      int i = 0;
      for (JsonNode e : parsed) {
        Path f = work.resolve("event-" + i++ + ".json");
        Files.write(f, JSON.writeValueAsBytes(e));
        cmd.add(f.toString());
      }
    } else {
      Path f = work.resolve("event.json");
      Files.write(f, event);
      cmd.add(f.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr);
    pb.environment().putAll(env);
    long start = System.nanoTime();
    Process process = pb.start();
    List<String> lines = new ArrayList<>();
    long millis = -1;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (millis < 0) {
          millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
        lines.add(line);
      }
    }
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("the worker did not end in 5 minutes");
    }
    try (var files = Files.list(work)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(work);
    return new Result(process.exitValue(), lines, millis);
  }

  private static JsonNode readJson(byte[] event) {
    try {
      return JSON.readTree(event);
    } catch (IOException e) {
      return null; // not JSON: the function says what it makes of it
    }
  }

  private static String functionsIn(Path app) throws IOException {
    List<String> names = new ArrayList<>();
    try (var dirs = Files.list(app)) {
      for (Path d : dirs.toList()) {
        if (Files.isRegularFile(d.resolve("function.json"))) {
          names.add(d.getFileName().toString());
        }
      }
    }
    names.sort(null);
    return String.join(", ", names);
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("system property " + property + " is not set");
    }
    return v;
  }
}
