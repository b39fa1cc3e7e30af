package dev.rollgate.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.core.manifest.HealthSpec;
import dev.rollgate.core.port.HealthProbe.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpHealthProbeTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private final HttpHealthProbe probe = new HttpHealthProbe();
  private final CountDownLatch release = new CountDownLatch(1);
  private ExecutorService executor;
  private HttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    executor = Executors.newCachedThreadPool();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.start();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void probe_shouldBeHealthy_whenStatusMatches() {
    // GIVEN a service answering 200
    String url = serve("/health", 200, "ok");

    // WHEN it is probed for the default status
    Result result = probe.probe(spec(200, null, null), url);

    // THEN it is healthy, and the detail says what answered
    assertTrue(result.healthy(), result.detail());
    assertEquals("200 from " + url, result.detail());
  }

  @Test
  void probe_shouldBeUnhealthyNamingStatusAndUrl_whenStatusDiffers() {
    // GIVEN a service answering 503
    String url = serve("/health", 503, "starting");

    // WHEN it is probed expecting 200
    Result result = probe.probe(spec(200, null, null), url);

    // THEN it is unhealthy and says what came back from where
    assertFalse(result.healthy());
    assertEquals("503 from " + url + ", expected 200", result.detail());
  }

  @Test
  void probe_shouldNotFollowRedirects_whenServiceRedirects() {
    // GIVEN a service redirecting its health endpoint to a healthy one
    String target = serve("/ok", 200, "ok");
    server.createContext(
        "/health",
        exchange -> {
          exchange.getResponseHeaders().add("Location", target);
          respond(exchange, 302, new byte[0]);
        });

    // WHEN the redirecting URL is probed
    Result result = probe.probe(spec(200, null, null), base() + "/health");

    // THEN the redirect itself is the answer
    assertFalse(result.healthy());
    assertTrue(result.detail().startsWith("302 from "), result.detail());
  }

  @Test
  void probe_shouldBeHealthy_whenJsonFieldHasExpectedValue() {
    // GIVEN an actuator-style body
    String url = serve("/health", 200, "{\"status\":\"UP\",\"groups\":[\"liveness\"]}");

    // WHEN the status field is checked
    Result result = probe.probe(spec(200, "status", "UP"), url);

    // THEN it is healthy
    assertTrue(result.healthy(), result.detail());
  }

  @Test
  void probe_shouldSayWhatFieldHolds_whenJsonFieldHasAnotherValue() {
    // GIVEN a service reporting DOWN
    String url = serve("/health", 200, "{\"status\":\"DOWN\"}");

    // WHEN UP is expected
    Result result = probe.probe(spec(200, "status", "UP"), url);

    // THEN the detail quotes both values
    assertFalse(result.healthy());
    assertEquals("status is 'DOWN', expected 'UP'", result.detail());
  }

  @Test
  void probe_shouldNameMissingField_whenBodyLacksIt() {
    // GIVEN a JSON body without the field
    String url = serve("/health", 200, "{\"state\":\"UP\"}");

    // WHEN status is checked
    Result result = probe.probe(spec(200, "status", "UP"), url);

    // THEN the detail names the missing field
    assertFalse(result.healthy());
    assertEquals("field 'status' missing from the body of " + url, result.detail());
  }

  @Test
  void probe_shouldFollowDottedPath_whenFieldIsNested() {
    // GIVEN a nested component status, with a number elsewhere
    String url =
        serve(
            "/health",
            200,
            "{\"components\":{\"db\":{\"status\":\"UP\",\"pool\":5},\"disk\":\"DOWN\"}}");

    // WHEN nested paths are checked
    Result db = probe.probe(spec(200, "components.db.status", "UP"), url);
    Result pool = probe.probe(spec(200, "components.db.pool", "5"), url);
    Result tooDeep = probe.probe(spec(200, "components.disk.status", "UP"), url);

    // THEN each path is followed through the objects, and a path through a text value is missing
    assertTrue(db.healthy(), db.detail());
    assertTrue(pool.healthy(), pool.detail());
    assertFalse(tooDeep.healthy());
    assertTrue(tooDeep.detail().contains("'components.disk.status' missing"), tooDeep.detail());
  }

  @Test
  void probe_shouldBeUnhealthy_whenBodyIsNotJsonOrNotAnObject() {
    // GIVEN a plain text body and a JSON array
    String text = serve("/text", 200, "OK <html>");
    String array = serve("/array", 200, "[\"UP\"]");

    // WHEN a JSON field is checked
    Result onText = probe.probe(spec(200, "status", "UP"), text);
    Result onArray = probe.probe(spec(200, "status", "UP"), array);

    // THEN both are unhealthy with a one-line reason
    assertFalse(onText.healthy());
    assertTrue(onText.detail().startsWith("body from " + text + " is not JSON"), onText.detail());
    assertFalse(onText.detail().contains("\n"), onText.detail());
    assertFalse(onArray.healthy());
    assertTrue(onArray.detail().contains("is not a JSON object"), onArray.detail());
  }

  @Test
  void probe_shouldGiveUpWithinAboutTheTimeout_whenServiceDoesNotAnswer() {
    // GIVEN a handler that holds the request until the test ends
    server.createContext(
        "/slow",
        exchange -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });

    // WHEN it is probed with a short timeout
    long start = System.nanoTime();
    Result result = probe.probe(spec(200, null, null), base() + "/slow");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // THEN it is unhealthy, says so in plain words, and did not wait much beyond the timeout
    assertFalse(result.healthy());
    assertEquals("no answer within 500ms from " + base() + "/slow", result.detail());
    assertTrue(took.compareTo(TIMEOUT.plusSeconds(3)) < 0, "took " + took);
  }

  @Test
  void probe_shouldGiveUpWithinAboutTwiceTheTimeout_whenBodyTricklesIn() {
    // GIVEN a service that sends its headers at once, then one byte of its body every 100 ms
    String url = trickle("/trickle");

    // WHEN its JSON body is probed with a 500 ms timeout (every single read is quick)
    long start = System.nanoTime();
    Result result = probe.probe(spec(200, "status", "UP"), url);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // THEN the probe does not wait for the 20 s body: unhealthy, named as no answer in time
    assertFalse(result.healthy());
    assertEquals("no answer within 500ms from " + url, result.detail());
    assertTrue(took.compareTo(TIMEOUT.multipliedBy(2).plusSeconds(1)) < 0, "took " + took);
  }

  @Test
  void
      probe_shouldJudgeByStatusWithinAboutTwiceTheTimeout_whenOnlyTheStatusCountsAndBodyTrickles() {
    // GIVEN a service that answers 200 at once, then drips its body
    String url = trickle("/drip");

    // WHEN only its status is checked
    long start = System.nanoTime();
    Result result = probe.probe(spec(200, null, null), url);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // THEN the status decides, without waiting for the 20 s body
    assertTrue(result.healthy(), result.detail());
    assertTrue(took.compareTo(TIMEOUT.multipliedBy(2).plusSeconds(1)) < 0, "took " + took);
  }

  @Test
  void probe_shouldReadTheJsonBody_whenTheExpectedStatusIsAnError() {
    // GIVEN a maintenance endpoint expected to answer 503 with {"status":"MAINTENANCE"}
    String url = serve("/maintenance", 503, "{\"status\":\"MAINTENANCE\"}");

    // WHEN it is probed for that status and field
    Result result = probe.probe(spec(503, "status", "MAINTENANCE"), url);

    // THEN the error body was read and judged like any other
    assertTrue(result.healthy(), result.detail());
  }

  @Test
  void probe_shouldSayConnectionRefused_whenNothingListens() throws IOException {
    // GIVEN a port that was free a moment ago and is closed now
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/health";

    // WHEN it is probed
    Result result = probe.probe(spec(200, null, null), url);

    // THEN the detail says the connection was refused
    assertFalse(result.healthy());
    assertEquals("connection refused by " + url, result.detail());
  }

  @Test
  void probe_shouldReadOnlyTheCap_whenBodyIsHuge() {
    // GIVEN a service streaming 32 MiB of JSON-looking bytes
    server.createContext(
        "/huge",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          byte[] chunk = new byte[64 * 1024];
          Arrays.fill(chunk, (byte) ' ');
          chunk[0] = '{';
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 512; i++) {
              out.write(chunk);
            }
          } catch (IOException e) {
            // the probe hung up after its cap: expected
          }
        });
    String url = base() + "/huge";

    // WHEN it is probed with and without a JSON check
    Result json = probe.probe(spec(200, "status", "UP"), url);
    Result status = probe.probe(spec(200, null, null), url);

    // THEN the JSON check refuses the oversized body, the status check still passes
    assertFalse(json.healthy());
    assertEquals("body from " + url + " is larger than 64 KiB; not read", json.detail());
    assertTrue(status.healthy(), status.detail());
  }

  @Test
  void probe_shouldExplain_whenUrlIsNotHttp() {
    // GIVEN URLs without an http(s) scheme or host
    // WHEN they are probed
    // THEN nothing throws and the detail names the URL
    for (String url : new String[] {"localhost:8080/health", "ftp://x/health", "http:// bad"}) {
      Result result = probe.probe(spec(200, null, null), url);
      assertFalse(result.healthy(), url);
      assertEquals("not an absolute http(s) URL: '" + url + "'", result.detail());
    }
  }

  private String serve(String path, int status, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    server.createContext(path, exchange -> respond(exchange, status, bytes));
    return base() + path;
  }

  /** A 200 sent at once, then a 20 s body of one byte every 100 ms (until the test ends). */
  private String trickle(String path) {
    server.createContext(
        path,
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 200 && release.getCount() > 0; i++) {
              out.write(' ');
              out.flush();
              Thread.sleep(100);
            }
          } catch (InterruptedException | IOException e) {
            // the probe hung up or the test ended
          }
        });
    return base() + path;
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static HealthSpec spec(int status, String field, String value) {
    HealthSpec d = HealthSpec.defaults();
    return new HealthSpec(
        d.url(),
        status,
        field,
        value,
        d.interval(),
        TIMEOUT,
        d.successThreshold(),
        d.failureThreshold(),
        d.deadline());
  }
}
