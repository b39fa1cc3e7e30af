package dev.rollgate.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.core.port.Clock;
import dev.rollgate.local.LocalHost;
import dev.rollgate.local.canary.CanaryFixture;
import dev.rollgate.local.platform.ProcessPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code scripts/bench canary}: a bad release (the demo's v3, whose health says DOWN) caught at the
 * 10 % first step of the default canary ({@code strategy: { canary: {} }}: steps 10, 50, 100, the
 * default analysis) on the local host, with clients sending requests to the stable URL all along.
 * Counts the answers by the revision that gave them ({@code X-Rollgate-Revision}).
 */
public final class CanaryBench {

  private static final int CLIENTS = 4;

  /** One answer at the stable URL: when it came back and which revision gave it. */
  private record Answer(long nanos, String revision) {}

  public static void main(String[] args) throws Exception {
    Path demo = Path.of(System.getProperty("bench.demo", "demo"));
    Path home = Files.createTempDirectory("rollgate-bench-canary");
    Path manifest = CanaryFixture.manifest(home.resolve("m"), demo, "500ms", null);
    System.out.println("manifest: " + manifest + " (strategy: { canary: {} }, health every 500ms)");
    try (LocalHost host =
        LocalHost.start(
            LocalHost.Settings.of(manifest.toString(), home.resolve("state").toString(), 0)
                .withTimings(
                    Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(5)))) {
      run(host.port());
    } finally {
      try (ProcessPlatform platform =
          new ProcessPlatform(home.resolve("state").resolve("platform"), home, Clock.system())) {
        platform.stopAll();
      }
    }
  }

  private static void run(int port) throws Exception {
    CanaryFixture.push(port, "v1", 1);
    JsonNode v1 =
        CanaryFixture.await(
            port, Duration.ofSeconds(90), "v1 serving", CanaryFixture.latestIs("SUCCEEDED"));
    String url = v1.path("serving").path("url").asText();
    String stable = v1.path("serving").path("revision").asText();
    System.out.println("v1 serves as " + stable + " at " + url);

    List<Answer> answers = new ArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Thread t =
          new Thread(
              () -> {
                while (running.get()) {
                  String by = CanaryFixture.answeredBy(url);
                  long at = System.nanoTime();
                  synchronized (answers) {
                    answers.add(new Answer(at, by));
                  }
                }
              });
      t.start();
      clients.add(t);
    }
    long pushed = System.nanoTime();
    System.out.println("pushing v3 (its health says DOWN) with " + CLIENTS + " clients on " + url);
    CanaryFixture.pushAsync(port, "v3", 3);
    JsonNode done =
        CanaryFixture.await(
            port, Duration.ofSeconds(120), "v3 rolled back", CanaryFixture.latestIs("ROLLED_BACK"));
    long ended = System.nanoTime();
    running.set(false);
    for (Thread t : clients) {
      t.join();
    }

    JsonNode d = done.path("recent").get(0);
    String id = d.path("id").asText();
    Instant stepAt = null;
    Instant failedAt = null;
    for (JsonNode t : CanaryFixture.status(port).path("timeline")) {
      if (!t.path("deployment").asText().equals(id)) {
        continue;
      }
      String reason = t.path("reason").asText();
      if (reason.startsWith("canary step 1/")) {
        System.out.println("  " + t.path("to").asText() + ": " + reason);
      }
      if (reason.startsWith("canary step 1/") && stepAt == null) {
        stepAt = Instant.parse(t.path("at").asText());
      }
      if (t.path("to").asText().equals("FAILED")) {
        failedAt = Instant.parse(t.path("at").asText());
      }
    }
    List<Answer> release =
        answers.stream()
            .filter(a -> a.nanos() >= pushed && a.nanos() <= ended)
            .sorted(Comparator.comparingLong(Answer::nanos))
            .toList();
    List<Answer> bad = release.stream().filter(a -> !stable.equals(a.revision())).toList();
    long total = release.size();
    double badShare = total == 0 ? 0 : 100.0 * bad.size() / total;
    long detectToRestore = 0;
    if (!bad.isEmpty()) {
      long first = bad.get(0).nanos();
      long last = bad.get(bad.size() - 1).nanos();
      long restored =
          release.stream()
              .filter(a -> a.nanos() > last && stable.equals(a.revision()))
              .mapToLong(Answer::nanos)
              .findFirst()
              .orElse(last);
      detectToRestore = (restored - first) / 1_000_000;
      long during = release.stream().filter(a -> a.nanos() >= first && a.nanos() <= last).count();
      System.out.printf(
          "while v3 held its share: %d of %d answers (%.1f %%) in %d ms%n",
          bad.size(), during, 100.0 * bad.size() / during, (last - first) / 1_000_000);
    }
    long window =
        stepAt == null || failedAt == null ? -1 : Duration.between(stepAt, failedAt).toMillis();
    System.out.printf(
        "release of v3: %d answers at the stable URL from the push to ROLLED_BACK (%d ms), %d by"
            + " v3%n",
        total, (ended - pushed) / 1_000_000, bad.size());
    System.out.println("outcome: " + d.path("phase").asText() + ": " + d.path("detail").asText());
    System.out.printf(
        "canary: bad-share=%.2f detect-to-restore=%d analysis-window=%d%n",
        badShare, detectToRestore, window);
  }
}
