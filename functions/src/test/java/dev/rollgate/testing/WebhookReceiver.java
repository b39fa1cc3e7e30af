package dev.rollgate.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP receiver for notifications: records every request, answers from a script (status and
 * headers), then 200.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One request as received. */
  public record Request(String path, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** One scripted answer. */
  public record Answer(int status, Map<String, String> headers, String body) {}

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Deque<Answer> script = new ArrayDeque<>();

  public WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          Map<String, String> headers = new TreeMap<>();
          exchange
              .getRequestHeaders()
              .forEach(
                  (k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
          requests.add(new Request(exchange.getRequestURI().getPath(), headers, body));
          Answer a;
          synchronized (script) {
            a = script.isEmpty() ? new Answer(200, Map.of(), "ok") : script.poll();
          }
          a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
          if (out.length > 0) {
            exchange.getResponseBody().write(out);
          }
          exchange.close();
        });
    server.start();
  }

  /** The next answers, in order; after them, 200. */
  public WebhookReceiver answer(int status, Map<String, String> headers) {
    synchronized (script) {
      script.add(new Answer(status, headers, status == 200 ? "ok" : "no"));
    }
    return this;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
