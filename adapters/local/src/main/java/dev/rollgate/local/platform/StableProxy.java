package dev.rollgate.local.platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A service's stable URL: a small reverse proxy on a fixed loopback port that forwards each request
 * to the serving revision, as Cloud Run's service URL does for its revisions; during a canary, a
 * share of the requests goes to the canary revision instead, spread evenly (of every 100 requests,
 * exactly the share).
 */
final class StableProxy {

  static final String REVISION_HEADER = "X-Rollgate-Revision";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length",
          "expect");

  /** Where requests go: a revision and its port. */
  record Backend(String revision, int port) {}

  private final String service;
  private final int port;
  private final HttpClient client;
  private volatile Backend primary;
  // The revision that served before the primary, used only while the primary refuses connections,
  // so that a starting revision does not turn the stable URL into errors.
  private volatile Backend fallback;
  private volatile Split split;
  private final AtomicLong requests = new AtomicLong();

  /** A canary and the percent of requests it receives. */
  private record Split(Backend canary, int share) {}

  private HttpServer server;
  private ExecutorService executor;

  StableProxy(String service, int port, HttpClient client) {
    this.service = service;
    this.port = port;
    this.client = client;
  }

  int port() {
    return port;
  }

  synchronized void start() throws IOException {
    AtomicInteger threads = new AtomicInteger();
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t =
                  new Thread(r, "rollgate-proxy-" + service + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server =
        LoopbackHttpServers.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  /** Sends traffic to {@code to}; while it refuses connections, to {@code before} if not null. */
  void route(Backend to, Backend before) {
    fallback = before;
    primary = to;
  }

  /** Sends {@code share} percent of the requests to {@code canary}; null or 0 ends the split. */
  void split(Backend canary, int share) {
    split = canary == null || share <= 0 ? null : new Split(canary, share);
  }

  /** The canary for request number n when it falls in the share, else the serving revision. */
  private Backend pick(Backend serving) {
    Split s = split;
    if (s == null || serving == null) {
      return serving;
    }
    long n = requests.getAndIncrement();
    return (n + 1) * s.share() / 100 > n * s.share() / 100 ? s.canary() : serving;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      Backend serving = primary;
      Backend to = pick(serving);
      boolean canary = to != serving;
      // A canary that refuses connections (starting, crashed) leaves its request to the serving
      // one.
      Backend before = canary ? serving : fallback;
      if (to == null) {
        fail(ex, null, "no revision of service '" + service + "' serves yet");
        return;
      }
      try {
        try {
          forward(ex, to, body);
          if (!canary && before != null && to.equals(primary)) {
            fallback = null;
          }
        } catch (ConnectException refused) {
          // The primary's refusal is what a person needs to see if the fallback fails too.
          if (before == null
              || (!canary && !before.equals(fallback))
              || !forwarded(ex, before, body)) {
            fail(ex, to, unanswered(to, refused));
          }
        }
      } catch (IOException e) {
        fail(ex, to, unanswered(to, e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail(ex, to, "interrupted while waiting for revision " + to.revision());
      }
    }
  }

  private boolean forwarded(HttpExchange ex, Backend to, byte[] body) throws InterruptedException {
    try {
      forward(ex, to, body);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void forward(HttpExchange ex, Backend to, byte[] body)
      throws IOException, InterruptedException {
    URI in = ex.getRequestURI();
    String target =
        "http://127.0.0.1:"
            + to.port()
            + (in.getRawPath() == null || in.getRawPath().isEmpty() ? "/" : in.getRawPath())
            + (in.getRawQuery() == null ? "" : "?" + in.getRawQuery());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target))
            .timeout(REQUEST_TIMEOUT)
            .method(
                ex.getRequestMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        for (String value : h.getValue()) {
          try {
            request.header(h.getKey(), value);
          } catch (IllegalArgumentException restricted) {
            // java.net.http refuses a few headers it sets itself; they need no forwarding.
          }
        }
      }
    }
    String host = ex.getRequestHeaders().getFirst("Host");
    if (host != null) {
      request.header("X-Forwarded-Host", host);
    }
    request.header("X-Forwarded-For", ex.getRemoteAddress().getAddress().getHostAddress());
    request.header("X-Forwarded-Proto", "http");
    HttpResponse<byte[]> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!name.startsWith(":") && !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                ex.getResponseHeaders().put(name, values);
              }
            });
    ex.getResponseHeaders().set(REVISION_HEADER, to.revision());
    send(ex, response.statusCode(), response.body());
  }

  private String unanswered(Backend to, Exception e) {
    return "revision "
        + to.revision()
        + " of service '"
        + service
        + "' does not answer on port "
        + to.port()
        + ": "
        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  private static void fail(HttpExchange ex, Backend to, String message) throws IOException {
    ex.getResponseHeaders().clear();
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if (to != null) {
      ex.getResponseHeaders().set(REVISION_HEADER, to.revision());
    }
    send(ex, 502, ("{\"error\":\"" + escape(message) + "\"}\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    boolean empty =
        body.length == 0 || ex.getRequestMethod().equals("HEAD") || status == 204 || status == 304;
    ex.sendResponseHeaders(status, empty ? -1 : body.length);
    if (!empty) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
