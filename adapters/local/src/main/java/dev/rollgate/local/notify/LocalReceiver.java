package dev.rollgate.local.notify;

import com.sun.net.httpserver.HttpServer;
import dev.rollgate.local.platform.LoopbackHttpServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A notification receiver on 127.0.0.1 standing in for Slack, Discord, Teams and a webhook peer:
 * answers every {@code POST} with 200 and keeps it, its service named by the path's first segment
 * ({@code /slack/...}, {@code /discord/...}, {@code /teams/...}, {@code /webhook/...}). The demo
 * routes the local host's notifications here to show them; the tests check what arrived.
 */
public final class LocalReceiver implements AutoCloseable {

  /** The services the receiver stands in for, as the first segment of a channel's path. */
  public static final List<String> SERVICES = List.of("slack", "discord", "teams", "webhook");

  /** One request as received: which service, its path, headers (lower-case names) and body. */
  public record Message(String service, String path, Map<String, String> headers, byte[] body) {

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Message> messages = new ArrayList<>();

  private LocalReceiver(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a receiver on a free loopback port. */
  public static LocalReceiver start() throws IOException {
    // Made where the local host's servers are: the JDK's first server fixes their settings.
    HttpServer server =
        LoopbackHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "local-receiver");
              t.setDaemon(true);
              return t;
            });
    LocalReceiver receiver = new LocalReceiver(server, executor);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod())) {
              exchange.sendResponseHeaders(405, -1);
              return;
            }
            Map<String, String> headers = new TreeMap<>();
            exchange
                .getRequestHeaders()
                .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String path = exchange.getRequestURI().getPath();
            String service = path.replaceFirst("^/", "").replaceFirst("/.*$", "");
            receiver.keep(new Message(service, path, Map.copyOf(headers), body));
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.setExecutor(executor);
    server.start();
    return receiver;
  }

  private void keep(Message m) {
    synchronized (messages) {
      messages.add(m);
      messages.notifyAll();
    }
  }

  /** The URL a channel of {@code service} posts to: {@code http://127.0.0.1:P/<service>/<name>}. */
  public String url(String service, String name) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + service + "/" + name;
  }

  /** Everything received so far, in arrival order. */
  public List<Message> messages() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  /** What {@code service} received so far, in arrival order. */
  public List<Message> messages(String service) {
    return messages().stream().filter(m -> m.service().equals(service)).toList();
  }

  /**
   * Waits at most {@code patience} until what was received satisfies {@code done}; returns the
   * messages either way (delivery happens on rollgate's own threads, shortly after each phase).
   */
  public List<Message> await(Predicate<List<Message>> done, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    synchronized (messages) {
      while (!done.test(List.copyOf(messages))) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        messages.wait(Math.max(1, left / 1_000_000));
      }
      return List.copyOf(messages);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
