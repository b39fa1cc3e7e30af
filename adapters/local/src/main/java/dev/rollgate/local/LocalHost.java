package dev.rollgate.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The local host: runs rollgate's Spring Cloud Functions on the embedded default, serves them over
 * HTTP ({@code POST /imagePushed}, {@code POST /promote}, {@code POST /reconcile}, {@code GET
 * /status}, {@code POST /backup}, {@code POST /verifyBackup}) and runs {@code reconcile}, due
 * backups and due restore tests on schedules.
 */
public final class LocalHost implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LocalHost.class.getName());
  private static final int MAX_BODY = 1 << 20;
  private static final Map<String, String> ROUTES =
      Map.of(
          "POST /imagePushed", "imagePushed",
          "POST /webhook", "webhook",
          "POST /promote", "promote",
          "POST /reconcile", "reconcile",
          "GET /status", "status",
          "POST /backup", "backup",
          "POST /verifyBackup", "verifyBackup");

  /** The Spring configuration: auto-configuration brings in the core and the local adapter. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class Application {}

  private final ConfigurableApplicationContext context;
  private final HttpServer server;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;

  private LocalHost(Settings settings) throws IOException {
    this.context =
        new SpringApplicationBuilder(Application.class)
            .web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .properties(
                "rollgate.local.enabled=true",
                "rollgate.manifest=" + settings.manifest(),
                "rollgate.home=" + settings.home(),
                "rollgate.budget=" + settings.budget(),
                "rollgate.lease=" + settings.lease())
            .run();
    FunctionCatalog catalog = context.getBean(FunctionCatalog.class);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", settings.port()), 64);
    this.workers = Executors.newFixedThreadPool(16);
    server.setExecutor(workers);
    server.createContext("/", exchange -> handle(catalog, exchange));
    server.start();
    this.scheduler = Executors.newSingleThreadScheduledExecutor();
    Function<Message<byte[]>, Object> reconcile = catalog.lookup("reconcile");
    long every = settings.reconcileEvery().toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            reconcile.apply(MessageBuilder.withPayload(new byte[0]).build());
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "scheduled reconcile failed; next run in " + every + "ms", e);
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    // Backups and restore tests run when due (each environment's backup.schedule); checking
    // every minute is enough for schedules counted in hours.
    Function<Message<byte[]>, Object> backup = catalog.lookup("backup");
    Function<Message<byte[]>, Object> verify = catalog.lookup("verifyBackup");
    long backupEvery = settings.backupCheckEvery().toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            backup.apply(MessageBuilder.withPayload(new byte[0]).build());
            verify.apply(MessageBuilder.withPayload(new byte[0]).build());
          } catch (RuntimeException e) {
            LOG.log(
                Level.WARNING, "scheduled backup run failed; next run in " + backupEvery + "ms", e);
          }
        },
        backupEvery,
        backupEvery,
        TimeUnit.MILLISECONDS);
  }

  /** Starts a host with these settings. */
  public static LocalHost start(Settings settings) throws IOException {
    return new LocalHost(settings);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(FunctionCatalog catalog, HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/health")) {
        respond(exchange, 200, "{\"status\":\"UP\"}");
        return;
      }
      String name = ROUTES.get(exchange.getRequestMethod() + " " + path);
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      // /webhook/<endpoint>; OPTIONS is the CloudEvents webhook validation handshake.
      if (name == null
          && (path.equals("/webhook") || path.startsWith("/webhook/"))
          && (exchange.getRequestMethod().equals("POST")
              || exchange.getRequestMethod().equals("OPTIONS"))) {
        name = "webhook";
        if (path.startsWith("/webhook/")) {
          query.put("endpoint", path.substring("/webhook/".length()));
        }
      }
      if (name == null) {
        respond(
            exchange,
            404,
            "{\"error\":\"no such endpoint: "
                + exchange.getRequestMethod()
                + " "
                + path.replace("\"", "")
                + "; try POST /imagePushed, POST /webhook/<name>, POST /promote, POST /reconcile,"
                + " GET /status, POST /backup, POST /verifyBackup\"}");
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        respond(exchange, 413, "{\"error\":\"body larger than 1 MiB\"}");
        return;
      }
      MessageBuilder<byte[]> message = MessageBuilder.withPayload(body);
      exchange.getRequestHeaders().forEach((k, v) -> message.setHeader(k.toLowerCase(), v.get(0)));
      message.setHeader("rollgate-query", query);
      Function<Message<byte[]>, Object> function = catalog.lookup(name);
      Object result = function.apply(message.build());
      if (result instanceof Message<?> reply) {
        Object status = reply.getHeaders().get("statusCode");
        Object payload = reply.getPayload();
        String text =
            payload instanceof byte[] bytes
                ? new String(bytes, StandardCharsets.UTF_8)
                : String.valueOf(payload);
        reply
            .getHeaders()
            .forEach(
                (k, v) -> {
                  // Handshake headers (WebHook-Allowed-Origin ...) go back to the sender.
                  if (k.regionMatches(true, 0, "webhook-", 0, 8) && v instanceof String value) {
                    exchange.getResponseHeaders().put(k, List.of(value));
                  }
                });
        respond(exchange, status instanceof Integer s ? s : 200, text);
      } else {
        respond(exchange, 200, String.valueOf(result));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "function failed", e);
      respond(exchange, 500, "{\"error\":\"internal error; see the host's log\"}");
    }
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

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().put("Content-Type", List.of("application/json"));
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    server.stop(0);
    workers.shutdownNow();
    context.close();
  }

  /**
   * The host's settings, with defaults.
   *
   * @param manifest path of rollgate.yaml (default {@code rollgate.yaml})
   * @param home state directory (default {@code .rollgate})
   * @param port HTTP port on 127.0.0.1 (default 8787; 0 picks a free one)
   * @param reconcileEvery pause between scheduled reconcile runs (default 2s)
   * @param budget time one invocation may spend advancing deployments (default 5m)
   * @param lease how long a lease lasts before reconcile may take a deployment over (default 15s)
   * @param backupCheckEvery how often due backups and restore tests are looked for (default 1m)
   */
  public record Settings(
      String manifest,
      String home,
      int port,
      Duration reconcileEvery,
      Duration budget,
      Duration lease,
      Duration backupCheckEvery) {

    public static Settings defaults() {
      return new Settings(
          "rollgate.yaml",
          ".rollgate",
          8787,
          Duration.ofSeconds(2),
          Duration.ofMinutes(5),
          Duration.ofSeconds(15),
          Duration.ofMinutes(1));
    }

    /** The defaults, with this manifest, state directory and port. */
    public static Settings of(String manifest, String home, int port) {
      Settings d = defaults();
      return new Settings(
          manifest, home, port, d.reconcileEvery(), d.budget(), d.lease(), d.backupCheckEvery());
    }

    public Settings withTimings(Duration reconcileEvery, Duration budget, Duration lease) {
      return new Settings(manifest, home, port, reconcileEvery, budget, lease, backupCheckEvery);
    }
  }
}
