package dev.rollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.events.auth.SenderVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.messaging.Message;

/**
 * Hostile clients against the running local host, over real loopback sockets: reserved and
 * oversized headers, malformed paths and queries, oversized and trickled bodies, bodies that a
 * converter would rewrite before the signature check, and the answer when a function fails.
 */
class HostileHttpIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "hostile-http-it-webhook-secret";

  @TempDir static Path dir;
  private static LocalHost host;

  @BeforeAll
  static void start() throws Exception {
    // The demo's manifest, plus a GitHub webhook endpoint whose secret is in a file.
    Path secret = dir.resolve("github-secret");
    Files.writeString(secret, SECRET);
    Path manifest = dir.resolve("rollgate.yaml");
    Files.writeString(
        manifest,
        Files.readString(Path.of("demo/rollgate.yaml"))
            .replaceFirst(
                "(?m)^version: 1$",
                "version: 1\nwebhooks:\n  github: { secret: \"file:" + secret + "\" }"));
    host =
        LocalHost.start(
            LocalHost.Settings.of(manifest.toString(), dir.resolve("state").toString(), 0)
                .withTimings(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(5)));
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @Test
  void imagePushed_shouldRunAndAnswer_whenHeadersUseNamesTheFunctionLayerReserves()
      throws Exception {
    // GIVEN headers named like Spring's and Spring Cloud Function's own message headers
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("id", "not-a-uuid");
    headers.put("timestamp", "yesterday");
    headers.put("scf-func-name", "status");
    headers.put("spring.cloud.function.definition", "status");
    headers.put("contentType", "text/plain");
    headers.put("rollgate-query", "endpoint=x");

    // WHEN a malformed push carries them
    Reply r = exchange("POST", "/imagePushed", headers, "{\"repository\": 5}");

    // THEN imagePushed (not status) answered, naming the field
    assertEquals(400, r.status(), r.body());
    assertEquals("malformed", json(r).path("reason").asText(), r.body());
    assertTrue(json(r).path("error").asText().startsWith("$.repository"), r.body());
  }

  @Test
  void webhook_shouldVerifyTheRawBytes_whenTheBodyIsAJsonArrayOrString() throws Exception {
    for (String body : List.of("[1,2,3]", "\"abc\"")) {
      // GIVEN a GitHub-signed body that a JSON converter would turn into other bytes
      byte[] raw = body.getBytes(StandardCharsets.UTF_8);
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", "application/json");
      headers.put("X-GitHub-Event", "package");
      headers.put("X-GitHub-Delivery", "raw-" + body.hashCode());
      headers.put(SenderVerifier.GITHUB_SIGNATURE, SenderVerifier.githubSignature(SECRET, raw));
      headers.put("id", "also-reserved");

      // WHEN
      Reply r = exchange("POST", "/webhook/github", headers, body);

      // THEN the signature holds; what fails is decoding the body
      assertEquals(400, r.status(), body + " -> " + r.body());
      assertFalse(r.body().contains("does not match"), r.body());
    }
  }

  @Test
  void host_shouldAnswer404InValidJson_whenThePathHoldsQuotesAndControlCharacters()
      throws Exception {
    // GIVEN / WHEN a path with a quote, a backslash, a newline and a NUL, percent-encoded
    Reply r = exchange("GET", "/a%22b%5Cc%0Ad%00e", Map.of(), null);

    // THEN the answer parses, and names the path as received
    assertEquals(404, r.status(), r.body());
    JsonNode n = json(r);
    assertTrue(n.path("error").asText().contains("/a\"b\\c\nd\u0000e"), r.body());
    assertEquals("not-found", n.path("reason").asText(), r.body());
  }

  @Test
  void host_shouldAnswer413WithAReason_whenTheBodyIsOver1MiB() throws Exception {
    // GIVEN / WHEN
    Reply r = exchange("POST", "/imagePushed", Map.of(), "x".repeat((1 << 20) + 1));

    // THEN
    assertEquals(413, r.status(), r.body());
    assertEquals("too-large", json(r).path("reason").asText(), r.body());
    assertTrue(json(r).path("error").asText().contains("1 MiB"), r.body());
  }

  @Test
  void host_shouldAnswer431WithAReason_whenHeadersAreTooLarge() throws Exception {
    // GIVEN one header of 40 KiB, or 150 small ones
    Map<String, String> big = Map.of("X-Big", "a".repeat(40 * 1024));
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 150; i++) {
      many.put("X-Many-" + i, "v");
    }

    for (Map<String, String> headers : List.of(big, many)) {
      // WHEN
      Reply r = exchange("POST", "/imagePushed", headers, "{}");

      // THEN
      assertEquals(431, r.status(), r.body());
      assertEquals("headers-too-large", json(r).path("reason").asText(), r.body());
    }
  }

  @Test
  void health_shouldAnswerPromptly_whileSlowClientsTrickleTheirBodies() throws Exception {
    // GIVEN 32 clients that send their headers, then one byte of their body every 200ms
    List<Socket> slow = new ArrayList<>();
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < 32; i++) {
        Socket s = new Socket("127.0.0.1", host.port());
        s.getOutputStream()
            .write(
                ("POST /promote HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        slow.add(s);
      }
      trickle.scheduleWithFixedDelay(
          () -> {
            for (Socket s : slow) {
              try {
                s.getOutputStream().write('{');
              } catch (IOException e) {
                // closed by the host: what the bound is for
              }
            }
          },
          0,
          200,
          TimeUnit.MILLISECONDS);
      awaitOpen(slow, Duration.ofSeconds(1));

      // WHEN / THEN the health check and the status answer within 3s each
      Instant before = Instant.now();
      Reply health = exchange("GET", "/health", Map.of(), null);
      assertEquals(200, health.status(), health.body());
      Reply status = exchange("GET", "/status", Map.of(), null);
      assertEquals(200, status.status(), status.body());
      assertTrue(
          Duration.between(before, Instant.now()).compareTo(Duration.ofSeconds(6)) < 0,
          "answered in " + Duration.between(before, Instant.now()));
      // AND every trickling client is cut off once the read time bound has passed
      for (Socket s : slow) {
        assertClosedWithin(s, LocalHost.READ_TIME.plusSeconds(10));
      }
    } finally {
      trickle.shutdownNow();
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void host_shouldAnswer500WithACorrelationId_whenAFunctionFails() throws Exception {
    // GIVEN the host's HTTP layer over a function that fails with a message that must not leak
    List<LogRecord> logged = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            synchronized (logged) {
              logged.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger log = Logger.getLogger(LocalHttp.class.getName());
    log.addHandler(capture);
    LocalHttp http =
        LocalHttp.start(
            0,
            name ->
                (Message<byte[]> m) -> {
                  throw new IllegalStateException("internal detail: jdbc://u:pw@db");
                });
    try {
      // WHEN
      Reply r = exchangeOn(http.port(), "GET", "/status", Map.of(), null);

      // THEN a 500 with an id, and the same id in the log line; no detail in the answer
      assertEquals(500, r.status(), r.body());
      JsonNode n = json(r);
      String id = n.path("correlationId").asText();
      assertFalse(id.isBlank(), r.body());
      assertEquals("internal", n.path("reason").asText(), r.body());
      assertTrue(n.path("error").asText().contains(id), r.body());
      assertFalse(r.body().contains("jdbc") || r.body().contains("Exception"), r.body());
      synchronized (logged) {
        assertTrue(
            logged.stream().anyMatch(l -> l.getMessage().contains(id) && l.getThrown() != null),
            "a log line with " + id);
      }
    } finally {
      log.removeHandler(capture);
      http.close();
    }
  }

  /** One HTTP/1.1 request over a fresh socket, answered or failed within 10s. */
  private static Reply exchange(
      String method, String path, Map<String, String> headers, String body) throws IOException {
    return exchangeOn(host.port(), method, path, headers, body);
  }

  private static Reply exchangeOn(
      int port, String method, String path, Map<String, String> headers, String body)
      throws IOException {
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1\r\nConnection: close\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      out.write(payload);
      out.flush();
      String text;
      try {
        text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (SocketTimeoutException e) {
        throw new AssertionError(method + " " + path + ": no answer within 10s", e);
      }
      if (text.isEmpty()) {
        throw new AssertionError(method + " " + path + ": the host closed without an answer");
      }
      int status = Integer.parseInt(text.substring(9, 12));
      int split = text.indexOf("\r\n\r\n");
      return new Reply(status, split < 0 ? "" : text.substring(split + 4));
    }
  }

  private static JsonNode json(Reply r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not valid JSON: " + r.body(), e);
    }
  }

  private static void awaitOpen(List<Socket> sockets, Duration period) {
    Instant end = Instant.now().plus(period);
    while (Instant.now().isBefore(end)) {
      assertTrue(sockets.stream().noneMatch(Socket::isClosed));
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  /** The host closes {@code s} (EOF or reset) within {@code timeout}. */
  private static void assertClosedWithin(Socket s, Duration timeout) throws IOException {
    Instant end = Instant.now().plus(timeout);
    InputStream in = s.getInputStream();
    s.setSoTimeout(500);
    while (Instant.now().isBefore(end)) {
      try {
        if (in.read() < 0) {
          return;
        }
      } catch (SocketTimeoutException e) {
        // still open: poll again
      } catch (IOException e) {
        return; // reset by the host
      }
    }
    throw new AssertionError("a trickling client was still connected after " + timeout);
  }

  private record Reply(int status, String body) {}
}
