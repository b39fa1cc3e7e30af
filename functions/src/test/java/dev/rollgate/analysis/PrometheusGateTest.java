package dev.rollgate.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.rollgate.core.manifest.PrometheusSpec;
import dev.rollgate.core.manifest.PrometheusSpec.Threshold;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.MetricsGate.Verdict;
import dev.rollgate.core.port.SecretResolver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wire cases a real Prometheus is hard to make answer (a proxy's error page, a scalar, a range
 * vector, +Inf, a server that never answers), against an HTTP server of ours; the gate's main tests
 * run against Debian's Prometheus (adapters/local's PrometheusGateIT).
 */
class PrometheusGateTest {

  private static final Threshold BELOW_1_PERCENT = new Threshold("<", 0.01);
  private static final Map<String, String> VARS =
      Map.of("revision", "shop-2", "service", "shop", "app", "shop", "environment", "staging");

  private HttpServer server;
  private volatile int status = 200;
  private volatile String answer = "";
  private volatile String receivedQuery;
  private volatile String receivedAuthorization;
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean hang;

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void evaluate_shouldFailWithTheProxysPage_whenSomethingInFrontOfPrometheusAnswers502()
      throws Exception {
    // GIVEN a reverse proxy in front of a Prometheus that is down
    answer(502, "<html><body><h1>502 Bad Gateway</h1>\n<p>nginx</p></body></html>");

    // WHEN
    Verdict v = gate().evaluate(spec("up", null), VARS);

    // THEN
    assertFalse(v.pass());
    assertTrue(
        v.detail().contains("answered HTTP 502: '<html><body><h1>502 Bad Gateway"), v.detail());
  }

  @Test
  void evaluate_shouldJudgeTheValue_whenTheQueryIsAScalar() throws Exception {
    answer(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1.7e9,\"0\"]}}");

    Verdict v = gate().evaluate(spec("scalar(vector(0))", null), VARS);

    assertTrue(v.pass(), v.detail());
    assertTrue(v.detail().contains("scalar = 0"), v.detail());
  }

  @Test
  void evaluate_shouldFailSayingHowToFixIt_whenTheQueryReturnsARangeVector() throws Exception {
    answer(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
            + "\"values\":[[1.7e9,\"0\"]]}]}}");

    Verdict v = gate().evaluate(spec("up[1m]", null), VARS);

    assertFalse(v.pass());
    assertTrue(v.detail().contains("range vector (resultType matrix, 1 series)"), v.detail());
    assertTrue(v.detail().contains("rate(x[30s])"), v.detail());
  }

  @Test
  void evaluate_shouldFailWithTheSeries_whenAValueIsInfinite() throws Exception {
    answer(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
            + "{\"revision\":\"shop-2\"},\"value\":[1.7e9,\"+Inf\"]}]},"
            + "\"warnings\":[\"PromQL info: metric might not be a counter\"]}");

    Verdict v = gate().evaluate(spec("x", null), VARS);

    assertFalse(v.pass());
    assertTrue(v.detail().contains("{revision=\"shop-2\"} = +Inf violates < 0.01"), v.detail());
    assertTrue(v.detail().contains("Prometheus warns: PromQL info"), v.detail());
  }

  @Test
  void evaluate_shouldFailClosedWithinTheTimeout_whenPrometheusNeverAnswers() throws Exception {
    // GIVEN a server that accepts the query and never answers
    answer(200, "{}");
    hang = true;

    // WHEN
    long start = System.nanoTime();
    Verdict v =
        gate()
            .evaluate(
                new PrometheusSpec(
                    url(), "up", BELOW_1_PERCENT, null, Duration.ofMillis(300), "analysis"),
                VARS);

    // THEN
    assertFalse(v.pass());
    assertTrue(v.detail().contains("no answer within 300ms"), v.detail());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3000);
  }

  @Test
  void evaluate_shouldEscapeTheValues_whenAPlaceholderHoldsQuotes() throws Exception {
    answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");

    gate()
        .evaluate(
            spec("x{revision=\"{revision}\",service=\"{service}\"}", null),
            Map.of("revision", "a\"} or vector(0) #", "service", "b\\c"));

    assertEquals(
        "x{revision=\"a\\\"} or vector(0) #\",service=\"b\\\\c\"}", receivedQuery, receivedQuery);
  }

  @Test
  void evaluate_shouldFailNamingThePlaceholder_whenTheCanaryHasNoValueForIt() throws Exception {
    answer(200, "{}");

    Verdict v =
        gate().evaluate(spec("x{app=\"{app}\"}", null), Map.of("revision", "r", "service", "s"));

    assertFalse(v.pass());
    assertTrue(v.detail().contains("uses {app} and the canary has no value"), v.detail());
    assertEquals(null, receivedQuery);
  }

  @Test
  void evaluate_shouldFailNamingTheReference_whenTheBearerTokenDoesNotExist() throws Exception {
    answer(200, "{}");

    Verdict v = gate().evaluate(spec("up", new SecretRef("env", "NO_SUCH_TOKEN")), VARS);

    assertFalse(v.pass());
    assertTrue(v.detail().contains("bearer token env:NO_SUCH_TOKEN does not exist"), v.detail());
    // ... and names the manifest's key as the manifest spells it
    assertTrue(v.detail().endsWith("or remove bearer-token"), v.detail());
    assertEquals(null, receivedAuthorization);
  }

  @Test
  void evaluate_shouldSayTheTokenWasRefused_whenTheServerAnswers401() throws Exception {
    answer(401, "Unauthorized\n");

    Verdict v = gate().evaluate(spec("up", new SecretRef("env", "PROM_TOKEN")), VARS);

    assertFalse(v.pass());
    assertEquals("Bearer s3cr3t-t0ken", receivedAuthorization);
    assertTrue(v.detail().contains("HTTP 401: 'Unauthorized'"), v.detail());
    assertTrue(v.detail().contains("check the bearer token env:PROM_TOKEN"), v.detail());
    assertFalse(v.detail().contains("s3cr3t"), v.detail());
  }

  private PrometheusGate gate() {
    return new PrometheusGate(
        new SecretResolver() {
          @Override
          public Set<String> schemes() {
            return Set.of("env");
          }

          @Override
          public Optional<String> resolve(SecretRef ref) {
            return ref.name().equals("PROM_TOKEN") ? Optional.of("s3cr3t-t0ken") : Optional.empty();
          }
        });
  }

  private PrometheusSpec spec(String query, SecretRef token) throws IOException {
    return new PrometheusSpec(
        url(), query, BELOW_1_PERCENT, token, Duration.ofSeconds(2), "analysis.prometheus");
  }

  private void answer(int code, String body) {
    this.status = code;
    this.answer = body;
  }

  private URI url() throws IOException {
    if (server == null) {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
      server.createContext(
          "/api/v1/query",
          ex -> {
            try (ex) {
              String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
              for (String pair : form.split("&")) {
                if (pair.startsWith("query=")) {
                  receivedQuery = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                }
              }
              receivedAuthorization = ex.getRequestHeaders().getFirst("Authorization");
              if (hang) {
                release.await(10, TimeUnit.SECONDS);
                return;
              }
              byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
              ex.sendResponseHeaders(status, bytes.length);
              try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
      server.start();
    }
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }
}
