package dev.rollgate.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.local.platform.LoopbackHttpServers;
import dev.rollgate.spring.RollgateAssembly;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The local host's HTTP layer: routes each request to its function, hands the function the raw body
 * and the client's headers (in one map header, so that none can take a name Spring reserves), and
 * answers every request: 4xx with a reason for bad input, 500 with a correlation id (logged with
 * the stack trace, never sent) when a function fails.
 */
final class LocalHttp implements AutoCloseable {

  /** How long a client may take to send a request's headers and body; then it is cut off. */
  static final Duration READ_TIME = LoopbackHttpServers.READ_TIME;

  static final int MAX_BODY = 1 << 20;
  static final int MAX_HEADERS = 100;
  static final int MAX_HEADER_BYTES = 32 * 1024;
  // Slow clients are cut off after READ_TIME; this many can be read at once meanwhile.
  private static final int WORKERS = 64;
  private static final Logger LOG = Logger.getLogger(LocalHttp.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> ROUTES =
      Map.of(
          "POST /imagePushed", "imagePushed",
          "POST /webhook", "webhook",
          "POST /promote", "promote",
          "POST /abort", "abort",
          "POST /plan", "localPlan",
          "POST /reconcile", "reconcile",
          "GET /status", "status",
          "POST /backup", "backup",
          "POST /verifyBackup", "verifyBackup");

  private final Function<String, Function<Message<byte[]>, ?>> functions;
  private final HttpServer server;
  private final ThreadPoolExecutor workers;

  private LocalHttp(int port, Function<String, Function<Message<byte[]>, ?>> functions)
      throws IOException {
    this.functions = functions;
    this.server = LoopbackHttpServers.create(new InetSocketAddress("127.0.0.1", port), 64);
    AtomicInteger threads = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> new Thread(r, "rollgate-http-" + threads.incrementAndGet()));
    workers.allowCoreThreadTimeOut(true);
    server.setExecutor(workers);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Serves on 127.0.0.1:{@code port} (0 picks a free one) the functions that {@code functions}
   * finds by name. They are called as they are, without a converter between the bytes received and
   * the function.
   */
  static LocalHttp start(int port, Function<String, Function<Message<byte[]>, ?>> functions)
      throws IOException {
    return new LocalHttp(port, functions);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) {
    try {
      Answer answer;
      try {
        answer = answer(exchange);
      } catch (RuntimeException e) {
        String id = UUID.randomUUID().toString();
        LOG.log(
            Level.SEVERE,
            "request "
                + id
                + " failed: "
                + exchange.getRequestMethod()
                + " "
                + exchange.getRequestURI().getRawPath(),
            e);
        answer = Answer.internal(id);
      }
      send(exchange, answer);
    } catch (IOException e) {
      // The client went away, or was cut off after READ_TIME: there is no one to answer.
      LOG.log(Level.FINE, "connection lost: " + e.getMessage(), e);
    } finally {
      exchange.close();
    }
  }

  private Answer answer(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Answer tooLarge = headersTooLarge(exchange.getRequestHeaders());
    if (tooLarge != null) {
      return tooLarge;
    }
    if (path.equals("/health")) {
      return new Answer(200, "{\"status\":\"UP\"}", Map.of());
    }
    String name = ROUTES.get(method + " " + path);
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    // /webhook/<endpoint>; OPTIONS is the CloudEvents webhook validation handshake.
    if (name == null
        && (path.equals("/webhook") || path.startsWith("/webhook/"))
        && (method.equals("POST") || method.equals("OPTIONS"))) {
      name = "webhook";
      if (path.startsWith("/webhook/")) {
        query.put("endpoint", path.substring("/webhook/".length()));
      }
    }
    if (name == null) {
      return Answer.error(
          404,
          "not-found",
          "no such endpoint: "
              + method
              + " "
              + path
              + "; try POST /imagePushed, POST /webhook/<name>, POST /promote, POST /abort, POST /plan,"
              + " POST /reconcile,"
              + " GET /status, POST /backup, POST /verifyBackup");
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      return Answer.error(413, "too-large", "body larger than 1 MiB; send at most 1 MiB");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.putIfAbsent(k.toLowerCase(Locale.ROOT), v.get(0)));
    Message<byte[]> message =
        MessageBuilder.withPayload(body)
            .setHeader(RollgateAssembly.HTTP_HEADERS_HEADER, headers)
            .setHeader(RollgateAssembly.QUERY_HEADER, query)
            .build();
    Object result = functions.apply(name).apply(message);
    if (!(result instanceof Message<?> reply)) {
      return new Answer(200, String.valueOf(result), Map.of());
    }
    Object status = reply.getHeaders().get("statusCode");
    Object payload = reply.getPayload();
    String text =
        payload instanceof byte[] bytes
            ? new String(bytes, StandardCharsets.UTF_8)
            : String.valueOf(payload);
    Map<String, String> extra = new LinkedHashMap<>();
    reply
        .getHeaders()
        .forEach(
            (k, v) -> {
              // Handshake headers (WebHook-Allowed-Origin ...) go back to the sender, and the
              // status page's (its content type, policy, caching) to the browser.
              if (v instanceof String value
                  && (k.regionMatches(true, 0, "webhook-", 0, 8)
                      || PASSED_ON.contains(k.toLowerCase(Locale.ROOT)))) {
                extra.put(k, value);
              }
            });
    int code = status instanceof Integer s ? s : 200;
    return new Answer(code, text, extra);
  }

  /** Response headers a function sets that go back to the client as they are. */
  private static final Set<String> PASSED_ON =
      Set.of(
          "content-type",
          "content-security-policy",
          "x-content-type-options",
          "cache-control",
          "referrer-policy",
          "www-authenticate");

  /** A 431 when the request's headers are more or larger than {@link #MAX_HEADERS} allows. */
  private static Answer headersTooLarge(Headers headers) {
    int count = 0;
    long bytes = 0;
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      for (String v : h.getValue()) {
        count++;
        bytes += h.getKey().length() + (v == null ? 0 : v.length()) + 4;
      }
    }
    if (count > MAX_HEADERS || bytes > MAX_HEADER_BYTES) {
      return Answer.error(
          431,
          "headers-too-large",
          "request headers too large: "
              + count
              + " headers, "
              + bytes
              + " bytes; send at most "
              + MAX_HEADERS
              + " headers and "
              + MAX_HEADER_BYTES / 1024
              + " KiB");
    }
    return null;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      q.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return q;
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().put(k, List.of(v)));
    exchange.getResponseHeaders().putIfAbsent("Content-Type", List.of("application/json"));
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }

  /** What the host answers: a status, a JSON body and extra response headers. */
  private record Answer(int status, String body, Map<String, String> headers) {

    /** {@code {"error": message, "reason": reason}}, valid JSON whatever the message holds. */
    static Answer error(int status, String reason, String message) {
      ObjectNode n = JSON.createObjectNode();
      n.put("error", message);
      n.put("reason", reason);
      return new Answer(status, n.toString(), Map.of());
    }

    /** A 500 that names the correlation id of the log line holding what went wrong. */
    static Answer internal(String id) {
      ObjectNode n = JSON.createObjectNode();
      n.put("error", "internal error " + id + "; the host's log has this id and the details");
      n.put("reason", "internal");
      n.put("correlationId", id);
      return new Answer(500, n.toString(), Map.of("X-Rollgate-Correlation-Id", id));
    }
  }
}
