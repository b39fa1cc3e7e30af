package dev.rollgate.gcp.functions;

import com.google.cloud.functions.invoker.runner.Invoker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * rollgate's functions under the Functions Framework's own invoker, in-process: one invoker per
 * function and signature, as Cloud Functions runs one deployment per function; requests go to it
 * over HTTP, as Cloud Functions' front end (or Eventarc, or Cloud Scheduler) sends them.
 */
final class FunctionsFramework implements AutoCloseable {

  private final Map<String, Invoker> invokers = new LinkedHashMap<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * The URL of {@code function} deployed with {@code signature} ({@code http} or {@code
   * cloudevent}), started on first use with {@code SPRING_CLOUD_FUNCTION_DEFINITION} naming it.
   */
  synchronized String url(String function, String signature) throws Exception {
    return url(RollgateFunction.ENTRY_POINT, function, signature);
  }

  /** The same, with the entry point {@code target} (e.g. Spring Cloud Function's invoker). */
  synchronized String url(String target, String function, String signature) throws Exception {
    String key = target + "/" + function + "/" + signature;
    if (!invokers.containsKey(key)) {
      int port = freePort();
      String before = System.getProperty(RollgateFunction.ENV_FUNCTION_DEFINITION);
      System.setProperty(RollgateFunction.ENV_FUNCTION_DEFINITION, function);
      try {
        Invoker invoker =
            new Invoker(port, target, signature, RollgateFunction.class.getClassLoader());
        invoker.startTestServer();
        invokers.put(key, invoker);
        ports.put(key, port);
      } finally {
        if (before == null) {
          System.clearProperty(RollgateFunction.ENV_FUNCTION_DEFINITION);
        } else {
          System.setProperty(RollgateFunction.ENV_FUNCTION_DEFINITION, before);
        }
      }
    }
    return "http://127.0.0.1:" + ports.get(key);
  }

  /** Sends {@code method path} with {@code body} and headers (name, value, ...) to the function. */
  HttpResponse<String> send(
      String function, String signature, String method, String path, byte[] body, String... headers)
      throws Exception {
    return send(RollgateFunction.ENTRY_POINT, function, signature, method, path, body, headers);
  }

  /** The same, to the entry point {@code target}. */
  HttpResponse<String> send(
      String target,
      String function,
      String signature,
      String method,
      String path,
      byte[] body,
      String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(target, function, signature) + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public synchronized void close() throws Exception {
    for (Invoker invoker : invokers.values()) {
      invoker.stopServer();
    }
    invokers.clear();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
