package dev.rollgate.azure.functions.worker;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A stand-in for Azure Functions' Java worker, for one process and one function: what the worker
 * does once the Functions host has read a function's {@code function.json} and a trigger fired. It
 * loads the function's {@code scriptFile} jar in a class loader of its own (the worker's own class
 * path holds azure-functions-java-core-library, as the real worker's does), creates the {@code
 * entryPoint} class with its public no-argument constructor, and calls the method with the
 * trigger's data bound as the worker binds it: an Event Grid event or timer info as a {@code
 * String} of its JSON, an HTTP request as an {@code HttpRequestMessage} whose body is the bytes
 * (the {@code binary} data type), and an {@link ExecutionContext} whose logger writes to stderr.
 *
 * <p>Beside the scriptFile jar, the jars of a {@code lib} folder in the same directory are added to
 * the function's class loader, as Azure's worker adds that folder (a Function App staged by Azure's
 * Maven plugin keeps its dependencies there; rollgate's artifact has none, its one jar holds them).
 *
 * <p>What it is not: the Functions host (no gRPC between host and worker, no trigger listener, no
 * function keys, no retries, no extension bundle), nor Microsoft's worker jar, which is not
 * published to Maven Central. Each event is one invocation, one after another, in this JVM.
 *
 * <p>Arguments: {@code JAR CLASS METHOD TRIGGER [--method M] [--url U] [--header 'N: v']...
 * EVENT_FILE...} where TRIGGER is {@code eventGridTrigger}, {@code timerTrigger} or {@code
 * httpTrigger}. For each event it prints one line on stdout: an HTTP function's response body (its
 * status on stderr), else {@code {"function":...,"status":"Succeeded"}}; a function that throws
 * prints {@code "status":"Failed"} with the error and the exit status is 1, as is an HTTP status of
 * 500 or more.
 */
public final class LocalJavaWorker {

  /** The line on stderr before each result: the launcher times the answer by it. */
  public static final String ANSWER = "rollgate-local-worker: answer";

  private LocalJavaWorker() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println(
          "usage: LocalJavaWorker JAR CLASS METHOD eventGridTrigger|timerTrigger|httpTrigger"
              + " [--method M] [--url U] [--header 'N: v']... EVENT_FILE...");
      System.exit(64);
    }
    Path jar = Path.of(args[0]);
    String className = args[1];
    String methodName = args[2];
    String trigger = args[3];
    String httpMethod = "POST";
    String url = "http://localhost:7071/api/" + methodName;
    List<String> headers = new ArrayList<>();
    List<Path> events = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      switch (args[i]) {
        case "--method" -> httpMethod = args[++i];
        case "--url" -> url = args[++i];
        case "--header" -> headers.add(args[++i]);
        default -> events.add(Path.of(args[i]));
      }
    }
    if (!Files.isRegularFile(jar)) {
      fail("the function's scriptFile " + jar + " does not exist");
    }
    // The function's jar in its own loader, the worker's (this class path) its parent.
    URLClassLoader loader =
        new URLClassLoader(
            "function", functionClassPath(jar), LocalJavaWorker.class.getClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    Class<?> type = Class.forName(className, true, loader);
    Method method = find(type, methodName);
    Object instance = type.getConstructor().newInstance();
    PrintStream out = System.out;
    boolean failed = false;
    for (Path event : events) {
      byte[] data = Files.readAllBytes(event);
      HostContext context = new HostContext(methodName, System.err);
      Object argument =
          switch (trigger) {
            case "eventGridTrigger", "timerTrigger" -> new String(data, StandardCharsets.UTF_8);
            case "httpTrigger" ->
                new HostHttpRequest(
                    HttpMethod.value(httpMethod.toUpperCase(Locale.ROOT)),
                    url,
                    data,
                    headerPairs(headers));
            default -> throw new IllegalArgumentException("unknown trigger type " + trigger);
          };
      Object result;
      try {
        result = method.invoke(instance, argument, context);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        System.err.println(ANSWER);
        out.println(
            "{\"function\":\""
                + methodName
                + "\",\"invocationId\":\""
                + context.getInvocationId()
                + "\",\"status\":\"Failed\",\"error\":"
                + quote(cause.getClass().getName() + ": " + cause.getMessage())
                + "}");
        out.flush();
        failed = true;
        continue;
      }
      System.err.println(ANSWER);
      if (result instanceof HttpResponseMessage response) {
        System.err.println("HTTP " + response.getStatusCode() + " (" + methodName + ")");
        Object body = response.getBody();
        out.println(
            body instanceof byte[] b
                ? new String(b, StandardCharsets.UTF_8)
                : String.valueOf(body));
        failed |= response.getStatusCode() >= 500;
      } else {
        out.println(
            "{\"function\":\""
                + methodName
                + "\",\"invocationId\":\""
                + context.getInvocationId()
                + "\",\"status\":\"Succeeded\"}");
      }
      out.flush();
    }
    System.exit(failed ? 1 : 0);
  }

  /**
   * The scriptFile jar, then the jars of the {@code lib} folder beside it, if there is one (by
   * name): the layout Azure's Maven plugin stages (the function jar at the app's root, its
   * dependencies in {@code lib/}), whose folder the worker adds to the function's class path.
   * rollgate's artifact has no {@code lib}: its one jar holds everything.
   */
  static URL[] functionClassPath(Path jar) throws IOException {
    List<URL> urls = new ArrayList<>();
    urls.add(jar.toUri().toURL());
    Path lib = jar.toAbsolutePath().getParent().resolve("lib");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> files = Files.list(lib)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
          urls.add(f.toUri().toURL());
        }
      }
    }
    return urls.toArray(URL[]::new);
  }

  private static Method find(Class<?> type, String name) {
    for (Method m : type.getMethods()) {
      if (m.getName().equals(name)
          && m.getParameterCount() == 2
          && m.getParameterTypes()[1] == ExecutionContext.class) {
        return m;
      }
    }
    fail("no public method " + name + "(trigger, ExecutionContext) in " + type.getName());
    return null;
  }

  private static String[] headerPairs(List<String> headers) {
    List<String> pairs = new ArrayList<>();
    for (String h : headers) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        fail("--header '" + h + "': expected 'Name: value'");
      }
      pairs.add(h.substring(0, colon).trim());
      pairs.add(h.substring(colon + 1).trim());
    }
    return pairs.toArray(String[]::new);
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static void fail(String message) {
    System.err.println("local worker: " + message);
    System.exit(2);
  }
}
