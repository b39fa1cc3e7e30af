package dev.rollgate.local.canary;

import static dev.rollgate.local.canary.CanaryFixture.analysing;
import static dev.rollgate.local.canary.CanaryFixture.answeredBy;
import static dev.rollgate.local.canary.CanaryFixture.await;
import static dev.rollgate.local.canary.CanaryFixture.latestIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.core.port.Clock;
import dev.rollgate.local.LocalHost;
import dev.rollgate.local.platform.ProcessPlatform;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary releases on the local platform end to end, counted at the stable URL by the revision that
 * answered ({@code X-Rollgate-Revision}): each step's share, a bad release caught at its first
 * step, and a host killed (SIGKILL) during a pause that resumes the same step.
 */
class CanaryLocalIT {

  private static final Path DEMO = Path.of("demo");

  @TempDir Path home;
  private LocalHost host;
  private final List<Process> hosts = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    if (host != null) {
      host.close();
    }
    for (Process p : hosts) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    try (ProcessPlatform platform =
        new ProcessPlatform(home.resolve("state").resolve("platform"), home, Clock.system())) {
      platform.stopAll();
    }
  }

  private int start(String canary) throws IOException {
    Path manifest = CanaryFixture.manifest(home.resolve("m"), DEMO, "500ms", canary);
    host =
        LocalHost.start(
            LocalHost.Settings.of(manifest.toString(), home.resolve("state").toString(), 0)
                .withTimings(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(5)));
    return host.port();
  }

  /** Answers of {@code n} requests to {@code url}, by revision. */
  private static Map<String, Integer> sample(String url, int n) {
    Map<String, Integer> by = new HashMap<>();
    for (int i = 0; i < n; i++) {
      by.merge(String.valueOf(answeredBy(url)), 1, Integer::sum);
    }
    return by;
  }

  @Test
  void canary_shouldSendEachStepsShareToTheNewRevision_whenItsAnalysesPass() throws Exception {
    // GIVEN v1 serving
    int port = start("{ steps: [10, 50, 100], pause: 5s }");
    assertEquals(202, CanaryFixture.push(port, "v1", 1));
    JsonNode v1 = await(port, Duration.ofSeconds(90), "v1 serving", latestIs("SUCCEEDED"));
    String url = v1.path("serving").path("url").asText();
    String stable = v1.path("serving").path("revision").asText();

    // WHEN v2 is pushed
    CanaryFixture.pushAsync(port, "v2", 2);

    // THEN at each step the stable URL sends about the step's share to v2
    for (int[] step : new int[][] {{1, 10}, {2, 50}}) {
      JsonNode s = await(port, Duration.ofSeconds(60), "step " + step[0], analysing(step[0]));
      String canary = s.path("inFlight").get(0).path("revision").asText();
      assertEquals(step[1], s.path("inFlight").get(0).path("canary").path("share").asInt());
      long began = System.nanoTime();
      Map<String, Integer> answers = sample(url, 100);
      long tookMs = (System.nanoTime() - began) / 1_000_000;
      assertTrue(
          analysing(step[0]).test(CanaryFixture.staging(port)),
          "the step changed while it was sampled (" + tookMs + "ms)");
      int toCanary = answers.getOrDefault(canary, 0);
      assertEquals(100, toCanary + answers.getOrDefault(stable, 0), answers.toString());
      assertEquals(step[1], toCanary, 5, "step " + step[0] + ": " + answers);
    }
    JsonNode done = await(port, Duration.ofSeconds(60), "v2 serving", latestIs("SUCCEEDED"));
    String v2 = done.path("serving").path("revision").asText();
    assertEquals(Map.of(v2, 50), sample(url, 50));
    JsonNode canary = done.path("recent").get(0).path("canary");
    assertEquals(3, canary.path("step").asInt(), canary.toString());
    assertEquals("PASSED", canary.path("state").asText(), canary.toString());
  }

  @Test
  void canary_shouldServeAtMostTheFirstSharesWorth_whenABadReleaseIsCaughtAtTheFirstStep()
      throws Exception {
    // GIVEN v1 serving, and requests flowing through the stable URL
    int port = start("{ steps: [10, 50, 100], pause: 6s }");
    assertEquals(202, CanaryFixture.push(port, "v1", 1));
    JsonNode v1 = await(port, Duration.ofSeconds(90), "v1 serving", latestIs("SUCCEEDED"));
    String url = v1.path("serving").path("url").asText();
    String stable = v1.path("serving").path("revision").asText();
    Map<String, Integer> answers = new HashMap<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread load =
        new Thread(
            () -> {
              while (running.get()) {
                String by = String.valueOf(answeredBy(url));
                synchronized (answers) {
                  answers.merge(by, 1, Integer::sum);
                }
              }
            });
    load.start();

    // WHEN v3, whose health says DOWN, is pushed
    CanaryFixture.pushAsync(port, "v3", 3);
    JsonNode s = await(port, Duration.ofSeconds(90), "v3 rolled back", latestIs("ROLLED_BACK"));
    running.set(false);
    load.join();

    // THEN it served at most about 10 % of the requests, and v1 serves all of them again
    int total = answers.values().stream().mapToInt(Integer::intValue).sum();
    int bad = total - answers.getOrDefault(stable, 0);
    assertTrue(total > 50, answers.toString());
    assertTrue(bad <= total * 0.12, "bad share " + bad + "/" + total + ": " + answers);
    assertEquals(Map.of(stable, 50), sample(url, 50));
    JsonNode d = s.path("recent").get(0);
    assertEquals(0, d.path("canary").path("share").asInt(), d.toString());
    assertEquals(1, d.path("canary").path("step").asInt(), d.toString());
    boolean said = false;
    for (JsonNode t : CanaryFixture.status(port).path("timeline")) {
      said |=
          t.path("deployment").asText().equals(d.path("id").asText())
              && t.path("to").asText().equals("FAILED")
              && t.path("reason").asText().startsWith("canary step 1/3 failed at 10 %");
    }
    assertTrue(said, "the FAILED transition names the step");
  }

  @Test
  void canary_shouldResumeTheSameStep_whenTheHostIsKilledDuringItsPause() throws Exception {
    // GIVEN a host in its own process, v1 serving, and v2 in its second step
    Path manifest =
        CanaryFixture.manifest(
            home.resolve("m"), DEMO, "500ms", "{ steps: [10, 50, 100], pause: 6s }");
    int port = freePort();
    Process first = startHost(manifest, port);
    await(port, Duration.ofSeconds(60), "the host", s -> true);
    assertEquals(202, CanaryFixture.push(port, "v1", 1));
    JsonNode v1 = await(port, Duration.ofSeconds(90), "v1 serving", latestIs("SUCCEEDED"));
    String url = v1.path("serving").path("url").asText();
    CanaryFixture.pushAsync(port, "v2", 2);
    JsonNode s = await(port, Duration.ofSeconds(60), "step 2", analysing(2));
    String id = s.path("inFlight").get(0).path("id").asText();
    String canary = s.path("inFlight").get(0).path("revision").asText();

    // WHEN the host is killed in the pause, and a new one starts on the same state
    first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    startHost(manifest, port);
    await(port, Duration.ofSeconds(60), "the new host", x -> true);

    // THEN the stable URL still splits 50 % (the platform's state kept the share)
    Map<String, Integer> answers = sample(url, 100);
    assertEquals(50, answers.getOrDefault(canary, 0), 10, answers.toString());
    // AND the deployment resumed at step 2, analysed it in full, and succeeded
    await(port, Duration.ofSeconds(90), "v2 serving", latestIs("SUCCEEDED"));
    List<String> steps = new ArrayList<>();
    for (JsonNode t : CanaryFixture.status(port).path("timeline")) {
      String reason = t.path("reason").asText();
      if (t.path("deployment").asText().equals(id) && reason.startsWith("canary step")) {
        steps.add(reason.replaceAll(" \\(analysed.*", "").replaceAll(" passed: .*", " passed"));
      }
    }
    assertEquals(
        List.of(
            "canary step 1/3: 10 % to " + canary,
            "canary step 1/3 passed",
            "canary step 2/3: 50 % to " + canary,
            "canary step 2/3 passed",
            "canary step 3/3: 100 % to " + canary,
            "canary step 3/3 passed"),
        steps);
  }

  private Process startHost(Path manifest, int port) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "dev.rollgate.local.Main",
            "--manifest",
            manifest.toString(),
            "--home",
            home.resolve("state").toString(),
            "--port",
            String.valueOf(port),
            "--lease",
            "3s",
            "--reconcile-every",
            "1s");
    pb.redirectErrorStream(true);
    pb.redirectOutput(home.resolve("host-" + hosts.size() + ".log").toFile());
    Process p = pb.start();
    hosts.add(p);
    return p;
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
