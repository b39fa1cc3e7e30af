package dev.rollgate.local.canary;

import static dev.rollgate.local.canary.CanaryFixture.answeredBy;
import static dev.rollgate.local.canary.CanaryFixture.await;
import static dev.rollgate.local.canary.CanaryFixture.latestIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.core.port.Clock;
import dev.rollgate.local.LocalHost;
import dev.rollgate.local.platform.ProcessPlatform;
import dev.rollgate.local.platform.PrometheusTargets;
import dev.rollgate.testing.PrometheusServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary releases on the local host judged by a real Prometheus (Debian's package, started by the
 * harness) that scrapes the sample service's {@code /metrics} through the platform's file_sd
 * targets, while requests flow through the stable URL: a good release passes every step on the
 * error ratio of its own revision; a release whose probes are healthy but which answers half of its
 * requests 500 ({@code errorShare}) is stopped at the first step by the gate alone, with the value;
 * and a Prometheus that does not answer fails the step closed, with the reason.
 */
class CanaryPrometheusIT {

  private static final Path DEMO = Path.of("demo");
  private static final String ERROR_RATIO =
      "sum(rate(sample_http_requests_total{revision=\"{revision}\",code=~\"5..\"}[30s]))"
          + " / sum(rate(sample_http_requests_total{revision=\"{revision}\"}[30s]))";

  /**
   * A pause long enough for Prometheus to judge a revision staged just before it: Prometheus
   * applies changes of its discovered targets at most every 5s, and {@code rate} needs two scrapes
   * (1s apart here) of the new target.
   */
  private static final String SCRAPED = "7s";

  @TempDir Path home;
  private LocalHost host;
  private PrometheusServer prometheus;
  private Thread load;
  private final AtomicBoolean loading = new AtomicBoolean();
  private final Map<String, Integer> answers = new HashMap<>();

  @AfterEach
  void cleanUp() throws Exception {
    loading.set(false);
    if (load != null) {
      load.join(10_000);
    }
    if (host != null) {
      host.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    try (ProcessPlatform platform = new ProcessPlatform(platformState(), home, Clock.system())) {
      platform.stopAll();
    }
  }

  private Path platformState() {
    return home.resolve("state").resolve("platform");
  }

  /** Starts a Prometheus scraping the host's revisions; answers its URL. */
  private String prometheus() throws IOException {
    prometheus =
        PrometheusServer.start(home.resolve("prometheus"), PrometheusTargets.file(platformState()));
    return prometheus.url().toString();
  }

  /**
   * The host, with releases v1 and v2 (healthy) and v4 (healthy probes, every second request to /
   * answered 500), and a canary of 3 steps of {@code pause} gated by the error ratio at {@code
   * url}.
   */
  private int start(String url, String pause) throws IOException {
    Path releases = home.resolve("releases");
    release(releases, "v1", "version=v1\nhealthy=true\n");
    release(releases, "v2", "version=v2\nhealthy=true\n");
    release(releases, "v4", "version=v4\nhealthy=true\nerrorShare=0.5\n");
    String canary =
        "{ steps: [10, 50, 100], pause: %s, analysis: { prometheus: { url: \"%s\", query: '%s', expect: \"< 0.01\", timeout: 2s } } }"
            .formatted(pause, url, ERROR_RATIO);
    Path manifest = CanaryFixture.manifest(home.resolve("m"), DEMO, releases, "500ms", canary);
    host =
        LocalHost.start(
            LocalHost.Settings.of(manifest.toString(), home.resolve("state").toString(), 0)
                .withTimings(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(5)));
    return host.port();
  }

  /** Pushes v1, waits until it serves, and sends requests to the stable URL from then on. */
  private JsonNode v1Serving(int port) throws Exception {
    assertEquals(202, CanaryFixture.push(port, "v1", 1));
    JsonNode v1 = await(port, Duration.ofSeconds(60), "v1 serving", latestIs("SUCCEEDED"));
    String url = v1.path("serving").path("url").asText();
    loading.set(true);
    load =
        new Thread(
            () -> {
              while (loading.get()) {
                String by = String.valueOf(answeredBy(url));
                synchronized (answers) {
                  answers.merge(by, 1, Integer::sum);
                }
              }
            },
            "load");
    load.setDaemon(true);
    load.start();
    return v1;
  }

  @Test
  void canary_shouldPassEveryStep_whenPrometheusMeasuresNoErrorsOfTheNewRevision()
      throws Exception {
    // GIVEN v1 serving under load, and Prometheus scraping the revisions
    int port = start(prometheus(), SCRAPED);
    String v1 = v1Serving(port).path("recent").get(0).path("id").asText();

    // WHEN v2 is pushed
    CanaryFixture.pushAsync(port, "v2", 2);

    // THEN it passes all three steps, each with Prometheus's verdict, and serves everything
    JsonNode s =
        await(
            port,
            Duration.ofSeconds(60),
            "v2 ended",
            x -> {
              JsonNode latest = x.path("recent").path(0);
              return !latest.path("id").asText().equals(v1)
                  && x.path("inFlight").isEmpty()
                  && !latest.path("phase").asText().isEmpty();
            });
    JsonNode d = s.path("recent").get(0);
    assertEquals("SUCCEEDED", d.path("phase").asText(), d.toString());
    String v2 = d.path("revision").asText();
    List<String> passed = reasons(port, d.path("id").asText(), "passed");
    assertEquals(3, passed.size(), passed.toString());
    for (String reason : passed) {
      assertTrue(
          reason.contains(
              "; prometheus: Prometheus at " + prometheus.url() + ": 1 series, < 0.01: {} = 0"),
          reason);
    }
    assertEquals(v2, s.path("serving").path("revision").asText());
  }

  @Test
  void canary_shouldBeStoppedAtTheFirstStepByPrometheus_whenTheReleaseAnswersErrorsButProbesWell()
      throws Exception {
    // GIVEN v1 serving under load, and Prometheus scraping the revisions
    int port = start(prometheus(), SCRAPED);
    String stable = v1Serving(port).path("serving").path("revision").asText();

    // WHEN v4 is pushed: healthy by its probes, but every second request to / answers 500
    CanaryFixture.pushAsync(port, "v4", 4);

    // THEN the gate failed it at step 1, with the error ratio it measured; it was ROLLED_BACK
    JsonNode s = await(port, Duration.ofSeconds(60), "v4 rolled back", latestIs("ROLLED_BACK"));
    loading.set(false);
    load.join(10_000);
    JsonNode d = s.path("recent").get(0);
    String failed = failedReason(port, d.path("id").asText());
    assertTrue(failed.startsWith("canary step 1/3 failed at 10 %: "), failed);
    assertTrue(failed.contains(" probes healthy, p95 "), failed);
    assertTrue(
        failed.contains(", but prometheus said no: Prometheus at " + prometheus.url()), failed);
    Matcher m = Pattern.compile("\\{} = ([0-9.e+-]+) violates < 0\\.01").matcher(failed);
    assertTrue(m.find(), failed);
    double ratio = Double.parseDouble(m.group(1));
    assertTrue(ratio > 0.3 && ratio < 0.7, failed);
    assertTrue(failed.endsWith("all traffic back to revision " + stable), failed);
    assertEquals(1, d.path("canary").path("step").asInt(), d.toString());
    assertEquals(0, d.path("canary").path("share").asInt(), d.toString());
    // ... v4 answered at most about its step's share of the requests, and v1 serves all again
    int total = answers.values().stream().mapToInt(Integer::intValue).sum();
    int bad = total - answers.getOrDefault(stable, 0);
    assertTrue(bad <= total * 0.13, "bad share " + bad + "/" + total + ": " + answers);
    String url = s.path("serving").path("url").asText();
    assertEquals(stable, s.path("serving").path("revision").asText());
    for (int i = 0; i < 20; i++) {
      assertEquals(stable, answeredBy(url));
    }
  }

  @Test
  void canary_shouldFailTheStepClosedWithTheReason_whenPrometheusDoesNotAnswer() throws Exception {
    // GIVEN a Prometheus URL where nothing listens
    String url = "http://127.0.0.1:" + freePort();
    int port = start(url, "2s");
    String stable = v1Serving(port).path("serving").path("revision").asText();

    // WHEN a good release is pushed
    CanaryFixture.pushAsync(port, "v2", 2);

    // THEN its first step fails closed, saying Prometheus is unreachable; it was ROLLED_BACK
    JsonNode s = await(port, Duration.ofSeconds(60), "v2 rolled back", latestIs("ROLLED_BACK"));
    String failed = failedReason(port, s.path("recent").get(0).path("id").asText());
    assertTrue(failed.startsWith("canary step 1/3 failed at 10 %: "), failed);
    assertTrue(
        failed.contains(
            "but prometheus said no: Prometheus at " + url + " is unreachable: connection refused"),
        failed);
    assertEquals(stable, s.path("serving").path("revision").asText());
  }

  /** The reasons of the deployment's "canary step N/M {@code what}" transitions. */
  private static List<String> reasons(int port, String id, String what) throws Exception {
    List<String> reasons = new ArrayList<>();
    for (JsonNode t : CanaryFixture.status(port).path("timeline")) {
      String reason = t.path("reason").asText();
      if (t.path("deployment").asText().equals(id)
          && reason.matches("canary step \\d+/\\d+ " + what + "[: ].*")) {
        reasons.add(reason);
      }
    }
    return reasons;
  }

  private static String failedReason(int port, String id) throws Exception {
    for (JsonNode t : CanaryFixture.status(port).path("timeline")) {
      if (t.path("deployment").asText().equals(id) && t.path("to").asText().equals("FAILED")) {
        return t.path("reason").asText();
      }
    }
    throw new AssertionError("no FAILED transition of " + id);
  }

  private static void release(Path releases, String tag, String properties) throws IOException {
    Files.createDirectories(releases.resolve(tag));
    Files.writeString(releases.resolve(tag).resolve("release.properties"), properties);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static {
    assertTrue(Files.exists(DEMO.resolve("sample-service")), "run from adapters/local");
  }
}
