package dev.rollgate.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake ECS endpoint speaking the JSON protocol ({@code X-Amz-Target:
 * AmazonEC2ContainerServiceV20141113.<Operation>}) that plays recorded answers back: each operation
 * answers its queued bodies in order and repeats the last one. Records what it was asked.
 */
final class EcsPlayback implements AutoCloseable {

  /** One call it received. */
  record Call(String operation, String body) {}

  private final HttpServer server;
  private final Map<String, Deque<String>> answers = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  EcsPlayback() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Queues answers of {@code operation}: fixture files under src/test/resources/ecs/. */
  EcsPlayback answer(String operation, String... fixtures) {
    Deque<String> queue = answers.computeIfAbsent(operation, k -> new ArrayDeque<>());
    synchronized (queue) {
      for (String fixture : fixtures) {
        queue.add(fixture(fixture));
      }
    }
    return this;
  }

  /** Queues a literal JSON answer, for one-line bodies like {@code {"taskArns":[]}}. */
  EcsPlayback answerJson(String operation, String json) {
    Deque<String> queue = answers.computeIfAbsent(operation, k -> new ArrayDeque<>());
    synchronized (queue) {
      queue.add(json);
    }
    return this;
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  List<Call> calls(String operation) {
    return calls.stream().filter(c -> c.operation().equals(operation)).toList();
  }

  static String fixture(String name) {
    try (InputStream in = EcsPlayback.class.getResourceAsStream("/ecs/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture src/test/resources/ecs/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String operation = target == null ? "?" : target.substring(target.indexOf('.') + 1);
    calls.add(
        new Call(
            operation,
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
    Deque<String> queue = answers.get(operation);
    String body;
    int status = 200;
    if (queue == null || queue.isEmpty()) {
      status = 400;
      body =
          "{\"__type\":\"ClientException\",\"message\":\"playback has no answer for "
              + operation
              + "\"}";
    } else {
      synchronized (queue) {
        body = queue.size() > 1 ? queue.poll() : queue.peek();
      }
    }
    byte[] out = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    exchange.getResponseHeaders().add("x-amzn-RequestId", "playback-" + calls.size());
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
