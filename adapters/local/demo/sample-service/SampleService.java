import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's service, one release per directory: a JDK-only HTTP server whose health follows its
 * release's {@code release.properties}.
 *
 * <p>Run with the source launcher: {@code java SampleService.java --port 1234 --image REF
 * --release-dir DIR}. {@code DIR/release.properties} holds {@code version=v1}, {@code
 * healthy=true|false}, and optionally {@code startupDelayMs}, {@code reason} and {@code
 * errorShare}: the share of requests to {@code /} answered 500 (default 0, or 0.5 when {@code
 * healthy=false}; every n-th request, not at random, so that the share is exact).
 *
 * <p>{@code /metrics} answers in Prometheus's text format 0.0.4: {@code
 * sample_http_requests_total{code}} counts the requests served (all but {@code /health} and {@code
 * /metrics}; codes 200 and 500 start at 0, so that an error ratio has data from the first scrape),
 * {@code sample_build_info{version,image}} names the release. The revision is the scraper's label.
 */
public class SampleService {

  public static void main(String[] args) throws Exception {
    String port = System.getenv("PORT");
    String image = "unknown";
    String releaseDir = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--port" -> port = value;
        case "--image" -> image = value;
        case "--release-dir" -> releaseDir = value;
        default ->
            fail("unknown argument '" + args[i] + "'; expected --port, --image, --release-dir");
      }
      i++;
    }
    if (port == null || releaseDir == null) {
      fail("usage: java SampleService.java --port PORT --image REF --release-dir DIR");
    }
    Path file = Path.of(releaseDir, "release.properties").toAbsolutePath();
    Properties release = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      release.load(in);
    } catch (IOException e) {
      fail("cannot read " + file + " (" + e + "); is --release-dir the right folder?");
    }
    String version = release.getProperty("version", "unknown");
    boolean healthy = Boolean.parseBoolean(release.getProperty("healthy", "true"));
    String reason = release.getProperty("reason", "release.properties says healthy=false");
    long delay = Long.parseLong(release.getProperty("startupDelayMs", "0"));
    double errorShare =
        Double.parseDouble(release.getProperty("errorShare", healthy ? "0" : "0.5"));
    Map<Integer, AtomicLong> requests = new ConcurrentSkipListMap<>();
    requests.put(200, new AtomicLong());
    requests.put(500, new AtomicLong());
    AtomicLong served = new AtomicLong();
    if (delay > 0) {
      // A slow start, so that a rollout shows its IN_PROGRESS phase.
      System.out.println("shop " + version + " warming up for " + delay + " ms");
      Thread.sleep(delay);
    }

    HttpServer server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(port)), 50);
    String img = image;
    server.createContext(
        "/health",
        ex ->
            reply(
                ex,
                healthy ? 200 : 503,
                "application/json",
                healthy
                    ? "{\"status\":\"UP\",\"version\":\""
                        + json(version)
                        + "\",\"image\":\""
                        + json(img)
                        + "\"}"
                    : "{\"status\":\"DOWN\",\"version\":\""
                        + json(version)
                        + "\",\"reason\":\""
                        + json(reason)
                        + "\"}"));
    server.createContext(
        "/",
        ex -> {
          int code = 404;
          if (ex.getRequestURI().getPath().equals("/")) {
            long n = served.incrementAndGet();
            code = Math.floor(n * errorShare) > Math.floor((n - 1) * errorShare) ? 500 : 200;
          }
          requests.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
          if (code == 200) {
            reply(ex, 200, "text/plain; charset=utf-8", "shop " + version + "\n");
          } else {
            reply(ex, code, "text/plain; charset=utf-8", code == 500 ? "failed\n" : "not found\n");
          }
        });
    server.createContext(
        "/metrics",
        ex -> {
          StringBuilder m = new StringBuilder();
          m.append("# HELP sample_http_requests_total Requests served, by status code.\n");
          m.append("# TYPE sample_http_requests_total counter\n");
          requests.forEach(
              (code, count) ->
                  m.append("sample_http_requests_total{code=\"" + code + "\"} " + count + "\n"));
          m.append("# HELP sample_build_info The release this process runs.\n");
          m.append("# TYPE sample_build_info gauge\n");
          m.append("sample_build_info{version=\"" + label(version) + "\",image=\"")
              .append(label(img))
              .append("\"} 1\n");
          reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", m.toString());
        });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("shop " + version + " stopping");
                  server.stop(0);
                  stopped.countDown();
                }));
    server.start();
    System.out.println(
        "shop "
            + version
            + " listening on http://127.0.0.1:"
            + port
            + " (image "
            + image
            + ", "
            + (healthy ? "healthy" : "unhealthy: " + reason)
            + ")");
    stopped.await();
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    try (ex) {
      ex.getRequestBody().readAllBytes();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", type);
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /** A label value as the text format escapes it: backslash, double quote, line feed. */
  private static String label(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder();
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
    return b.toString();
  }

  private static void fail(String message) {
    System.err.println("SampleService: " + message);
    System.exit(2);
  }
}
