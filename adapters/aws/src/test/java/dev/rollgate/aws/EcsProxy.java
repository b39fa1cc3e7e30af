package dev.rollgate.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy between the SDK and moto. It counts every call per operation (received, and
 * forwarded to moto, i.e. took effect), injects faults on a seeded share of calls (429
 * ThrottlingException, 500, or an answer held past the client's timeout after moto acted), and can
 * play ECS's deployment controller, which moto lacks: a service whose task definition changed shows
 * a new PRIMARY deployment IN_PROGRESS for a few DescribeServices calls, then COMPLETED.
 */
final class EcsProxy implements AutoCloseable {

  /** The faults it can inject. */
  enum Fault {
    THROTTLE,
    SERVER_ERROR,
    TIMEOUT
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> HOP_HEADERS =
      Set.of(
          "host",
          "content-length",
          "connection",
          "expect",
          "upgrade",
          "transfer-encoding",
          "date",
          "via",
          "warning",
          "from");

  private final URI moto;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private final Map<String, List<String>> forwarded = new ConcurrentHashMap<>();
  private final Map<Fault, AtomicInteger> injected = new ConcurrentHashMap<>();
  private final Map<String, Fault> scripted = new ConcurrentHashMap<>();
  private volatile double faultShare;
  private volatile Fault[] kinds = Fault.values();
  private volatile Random random = new Random(0);
  private volatile SimulatedDeployments deployments;

  EcsProxy(URI moto) throws IOException {
    this.moto = moto;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Injects a fault into {@code share} of the calls, chosen by a random sequence of {@code seed},
   * of the given kinds (all kinds when none is given).
   */
  EcsProxy faults(double share, long seed, Fault... kinds) {
    this.random = new Random(seed);
    this.kinds = kinds.length == 0 ? Fault.values() : kinds.clone();
    this.faultShare = share;
    return this;
  }

  /**
   * Plays ECS's deployment controller: after a service's task definition changes, its new PRIMARY
   * deployment is IN_PROGRESS for {@code describes} DescribeServices calls, then COMPLETED.
   */
  EcsProxy simulateDeployments(int describes) {
    this.deployments = new SimulatedDeployments(describes);
    return this;
  }

  /** The next call of {@code operation} gets {@code fault}, whatever the random share says. */
  EcsProxy failNext(String operation, Fault fault) {
    scripted.put(operation, fault);
    return this;
  }

  int received(String operation) {
    AtomicInteger n = received.get(operation);
    return n == null ? 0 : n.get();
  }

  /** How many calls of each operation were received so far. */
  Map<String, Integer> received() {
    Map<String, Integer> all = new java.util.TreeMap<>();
    received.forEach((operation, n) -> all.put(operation, n.get()));
    return all;
  }

  /** Request bodies of calls of {@code operation} that reached moto. */
  List<String> forwarded(String operation) {
    return forwarded.getOrDefault(operation, List.of());
  }

  /** How many forwarded calls of {@code operation} had {@code field} equal to {@code value}. */
  long forwarded(String operation, String field, String value) {
    return forwarded(operation).stream()
        .filter(
            body -> {
              try {
                return value.equals(JSON.readTree(body).path(field).asText(null));
              } catch (IOException e) {
                return false;
              }
            })
        .count();
  }

  int injected(Fault fault) {
    AtomicInteger n = injected.get(fault);
    return n == null ? 0 : n.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String operation =
        target == null
            ? exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
            : target.substring(target.indexOf('.') + 1);
    received.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
    Fault fault = scripted.remove(operation);
    if (fault != null) {
      injected.computeIfAbsent(fault, k -> new AtomicInteger()).incrementAndGet();
    } else {
      fault = nextFault();
    }
    if (fault == Fault.THROTTLE) {
      reply(exchange, 429, "ThrottlingException", "Rate exceeded");
      return;
    }
    if (fault == Fault.SERVER_ERROR) {
      reply(exchange, 500, "ServerException", "injected server error");
      return;
    }
    HttpResponse<byte[]> answer;
    try {
      answer = forward(exchange, body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
      return;
    }
    forwarded
        .computeIfAbsent(operation, k -> new CopyOnWriteArrayList<>())
        .add(new String(body, StandardCharsets.UTF_8));
    if (fault == Fault.TIMEOUT) {
      // moto acted; the answer is lost: the client times out and must not act twice.
      closer.schedule(exchange::close, 10, TimeUnit.SECONDS);
      return;
    }
    byte[] out = answer.body();
    if ("DescribeServices".equals(operation) && deployments != null && answer.statusCode() == 200) {
      out = deployments.rewrite(out);
    }
    answer
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!HOP_HEADERS.contains(name.toLowerCase())) {
                values.forEach(v -> exchange.getResponseHeaders().add(name, v));
              }
            });
    exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      exchange.getResponseBody().write(out);
    }
    exchange.close();
  }

  private synchronized Fault nextFault() {
    if (faultShare <= 0 || random.nextDouble() >= faultShare) {
      return null;
    }
    Fault fault = kinds[random.nextInt(kinds.length)];
    injected.computeIfAbsent(fault, k -> new AtomicInteger()).incrementAndGet();
    return fault;
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(moto.resolve(exchange.getRequestURI().toString()))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!HOP_HEADERS.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
              }
            });
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void reply(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    byte[] out =
        ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    closer.shutdownNow();
  }
}
