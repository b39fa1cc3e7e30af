package dev.rollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.rollgate.analysis.PrometheusGate;
import dev.rollgate.core.manifest.PrometheusSpec;
import dev.rollgate.core.manifest.PrometheusSpec.Threshold;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.MetricsGate.Verdict;
import dev.rollgate.core.port.ServicePlatform.Revision;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus.State;
import dev.rollgate.local.platform.ProcessPlatform;
import dev.rollgate.local.platform.PrometheusTargets;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.PrometheusServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus gate against a real Prometheus (Debian's package, started by the harness) that
 * scrapes the sample service's {@code /metrics} on the local platform, finding its revisions
 * through the platform's file_sd targets: a good revision passes, one whose error counter rises
 * fails with its value, and everything that is not an answer fails closed.
 */
class PrometheusGateIT {

  private static final String COMMAND =
      "{java} -Xmx48m -Xss512k -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
          + " demo/sample-service/SampleService.java"
          + " --port {port} --image {image} --release-dir %s/{tag}";
  private static final String ERROR_RATIO =
      "sum(rate(sample_http_requests_total{revision=\"{revision}\",code=~\"5..\"}[30s]))"
          + " / sum(rate(sample_http_requests_total{revision=\"{revision}\"}[30s]))";
  private static final Threshold BELOW_1_PERCENT = new Threshold("<", 0.01);
  private static final Duration DEADLINE = Duration.ofSeconds(45);

  @TempDir static Path dir;
  private static ProcessPlatform platform;
  private static PrometheusServer prometheus;
  private static Revision good;
  private static Revision bad;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final PrometheusGate gate = new PrometheusGate(new EnvSecretResolver());

  @BeforeAll
  static void start() throws Exception {
    Path releases = dir.resolve("releases");
    release(releases, "good", "version=good\nhealthy=true\n");
    // Healthy by its probe, yet every second request to / answers 500.
    release(releases, "bad", "version=bad\nhealthy=true\nerrorShare=0.5\n");
    Path state = dir.resolve("state");
    platform = new ProcessPlatform(state, Path.of("").toAbsolutePath(), Clock.system());
    prometheus = PrometheusServer.start(dir.resolve("prometheus"), PrometheusTargets.file(state));
    good = rollOut("shop-good", "good", releases);
    bad = rollOut("shop-bad", "bad", releases);
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (platform != null) {
      platform.stopAll();
    }
  }

  @Test
  void evaluate_shouldPassListingTheValue_whenTheRevisionAnswersNoErrors() throws Exception {
    // GIVEN traffic to the good revision, scraped through the platform's file_sd targets
    // WHEN the error ratio is evaluated once Prometheus has two scrapes of it
    Verdict v = evaluateUntil(spec(ERROR_RATIO, null), good, x -> x.pass());

    // THEN
    assertTrue(v.pass(), v.detail());
    assertTrue(v.detail().contains("1 series, < 0.01: {} = 0"), v.detail());
  }

  @Test
  void evaluate_shouldFailWithTheValue_whenTheRevisionRaisesItsErrorCounter() throws Exception {
    // GIVEN traffic to the bad revision, half of which it answers 500
    // WHEN
    Verdict v = evaluateUntil(spec(ERROR_RATIO, null), bad, x -> x.detail().contains("violates"));

    // THEN the reason names the value, about the share of 500s
    assertFalse(v.pass(), v.detail());
    String value = v.detail().replaceAll("(?s).*\\{} = ([0-9.e+-]+) violates < 0\\.01.*", "$1");
    double ratio = Double.parseDouble(value);
    assertTrue(ratio > 0.3 && ratio < 0.7, v.detail());
  }

  @Test
  void evaluate_shouldFailClosed_whenPrometheusIsDown() throws Exception {
    // GIVEN a Prometheus that ran and stopped
    PrometheusServer gone =
        PrometheusServer.start(dir.resolve("gone"), dir.resolve("gone").resolve("none.json"));
    URI url = gone.url();
    gone.close();

    // WHEN
    Verdict v = gate.evaluate(spec(url, ERROR_RATIO, null), vars(good));

    // THEN
    assertFalse(v.pass());
    assertEquals("Prometheus at " + url + " is unreachable: connection refused", v.detail());
  }

  @Test
  void evaluate_shouldFailClosedSayingSo_whenTheQueryReturnsNoData() throws Exception {
    // GIVEN a revision no target carries
    Map<String, String> nobody = Map.of("revision", "shop-good-99", "service", "shop-good");

    // WHEN
    Verdict v =
        gate.evaluate(spec("sample_http_requests_total{revision=\"{revision}\"}", null), nobody);

    // THEN
    assertFalse(v.pass());
    assertTrue(v.detail().contains(": no data: the query returned no series"), v.detail());
    assertTrue(v.detail().contains("revision=\"shop-good-99\""), v.detail());
  }

  @Test
  void evaluate_shouldFailWithPrometheussOwnError_whenTheQueryIsNotPromQl() throws Exception {
    // WHEN a parenthesis is left open
    Verdict v = gate.evaluate(spec("sum(rate(sample_http_requests_total[30s])", null), vars(good));

    // THEN Prometheus's parser says why
    assertFalse(v.pass());
    assertTrue(v.detail().contains("answered HTTP 400: bad_data: "), v.detail());
    assertTrue(v.detail().contains("parse error"), v.detail());
  }

  @Test
  void evaluate_shouldSendTheBearerTokenAndNeverShowIt_whenPrometheusSitsBehindAnAuthProxy()
      throws Exception {
    // GIVEN Prometheus behind a proxy that wants a bearer token, the token in a file
    String token = "prom-t0ken-" + System.nanoTime();
    Path file = Files.writeString(dir.resolve("prometheus-token"), token + "\n");
    List<String> seen = new ArrayList<>();
    HttpServer proxy = authProxy(token, seen);
    try {
      URI url = URI.create("http://127.0.0.1:" + proxy.getAddress().getPort());
      SecretRef right = new SecretRef("file", file.toString());
      Path wrongFile = Files.writeString(dir.resolve("wrong-token"), "not-" + token);
      SecretRef wrong = new SecretRef("file", wrongFile.toString());

      // WHEN the gate evaluates with the token, and with a wrong one
      Verdict passed = evaluateUntil(spec(url, ERROR_RATIO, right), good, x -> x.pass());
      Verdict refused = gate.evaluate(spec(url, ERROR_RATIO, wrong), vars(good));

      // THEN the token went to the server, and no verdict shows either token
      assertTrue(passed.pass(), passed.detail());
      assertTrue(seen.contains("Bearer " + token), seen.toString());
      assertFalse(refused.pass());
      assertTrue(refused.detail().contains("HTTP 401"), refused.detail());
      assertTrue(refused.detail().contains("check the bearer token " + wrong), refused.detail());
      for (Verdict v : List.of(passed, refused)) {
        assertFalse(v.detail().contains(token), v.detail());
      }
    } finally {
      proxy.stop(0);
    }
  }

  @Test
  void targets_shouldFollowTheRevisions_whenOneRollsOutAndTheOtherIsRetired() throws Exception {
    // GIVEN a service with a first revision in the file_sd targets
    Path releases = dir.resolve("releases");
    Revision first = rollOut("shop-moving", "good", releases);

    // WHEN a second revision rolls out and the first is retired
    Revision second = rollOut("shop-moving", "good", releases, "d-second");
    platform.retire(target("shop-moving", releases), second.id());

    // THEN the targets list the second, with its labels, and no longer the first
    JsonNode groups = new ObjectMapper().readTree(Files.readString(platformTargets()));
    List<String> revisions = new ArrayList<>();
    for (JsonNode g : groups) {
      if (g.path("labels").path("service").asText().equals("shop-moving")) {
        revisions.add(g.path("labels").path("revision").asText());
        assertEquals("d-second", g.path("labels").path("deployment").asText(), g.toString());
        assertTrue(g.path("targets").get(0).asText().startsWith("127.0.0.1:"), g.toString());
      }
    }
    assertEquals(List.of(second.id()), revisions, groups.toString());
    assertFalse(first.id().equals(second.id()));
  }

  /** Sends requests to the revision and evaluates until {@code done} or the deadline. */
  private Verdict evaluateUntil(PrometheusSpec spec, Revision revision, Predicate<Verdict> done)
      throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    Verdict v = null;
    while (Instant.now().isBefore(deadline)) {
      for (int i = 0; i < 10; i++) {
        HTTP.send(
            HttpRequest.newBuilder(URI.create(revision.url() + "/")).build(),
            HttpResponse.BodyHandlers.discarding());
      }
      v = gate.evaluate(spec, vars(revision));
      if (done.test(v)) {
        return v;
      }
      Clock.system().pause(Duration.ofMillis(100));
    }
    throw new AssertionError(
        "no such verdict within "
            + DEADLINE.toSeconds()
            + "s; last: "
            + (v == null ? "none" : v.detail())
            + "\ntargets: "
            + prometheus.targets());
  }

  private static Map<String, String> vars(Revision r) {
    return Map.of("revision", r.id(), "service", r.id().replaceAll("-\\d+$", ""));
  }

  private static PrometheusSpec spec(String query, SecretRef token) {
    return spec(prometheus.url(), query, token);
  }

  private static PrometheusSpec spec(URI url, String query, SecretRef token) {
    return new PrometheusSpec(
        url,
        query,
        BELOW_1_PERCENT,
        token,
        Duration.ofSeconds(5),
        "apps[0].environments.staging.strategy.canary.analysis.prometheus");
  }

  private static Revision rollOut(String service, String tag, Path releases) throws Exception {
    return rollOut(service, tag, releases, "d-" + service);
  }

  private static TargetSpec target(String service, Path releases) {
    return new TargetSpec(
        "local",
        Map.of("service", service, "command", COMMAND.formatted(releases)),
        "apps[0].environments.staging.target");
  }

  private static Revision rollOut(String service, String tag, Path releases, String deployment)
      throws Exception {
    TargetSpec target = target(service, releases);
    ImageRef image =
        new ImageRef(
            "localhost:5000", "demo/shop", tag, "sha256:" + (tag.length() + "").repeat(64));
    Revision r = platform.rollOut(target, deployment, image);
    Instant deadline = Instant.now().plus(DEADLINE);
    while (platform.observe(target, r.id()).state() != State.READY) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(service + " not ready: " + platform.observe(target, r.id()));
      }
      Clock.system().pause(Duration.ofMillis(50));
    }
    JsonNode targets = new ObjectMapper().readTree(Files.readString(platformTargets()));
    assertTrue(targets.toString().contains("\"revision\":\"" + r.id() + "\""), targets.toString());
    return r;
  }

  private static Path platformTargets() {
    return PrometheusTargets.file(dir.resolve("state"));
  }

  private static void release(Path releases, String tag, String properties) throws IOException {
    Files.createDirectories(releases.resolve(tag));
    Files.writeString(releases.resolve(tag).resolve("release.properties"), properties);
  }

  /**
   * A reverse proxy in front of Prometheus, as one guards it in production: without {@code
   * Authorization: Bearer <token>} it answers 401; otherwise it forwards the query. Records each
   * Authorization header it receives.
   */
  private static HttpServer authProxy(String token, List<String> seen) throws IOException {
    HttpServer proxy =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    proxy.createContext(
        "/",
        ex -> {
          try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            synchronized (seen) {
              seen.add(String.valueOf(auth));
            }
            int status;
            byte[] answer;
            if (!("Bearer " + token).equals(auth)) {
              status = 401;
              answer = "Unauthorized\n".getBytes();
            } else {
              HttpResponse<byte[]> r =
                  HTTP.send(
                      HttpRequest.newBuilder(prometheus.url().resolve(ex.getRequestURI()))
                          .header("Content-Type", ex.getRequestHeaders().getFirst("Content-Type"))
                          .method(
                              ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body))
                          .build(),
                      HttpResponse.BodyHandlers.ofByteArray());
              status = r.statusCode();
              answer = r.body();
            }
            ex.sendResponseHeaders(status, answer.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(answer);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    proxy.start();
    return proxy;
  }
}
