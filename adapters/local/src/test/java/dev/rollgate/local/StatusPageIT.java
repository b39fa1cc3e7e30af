package dev.rollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.port.Clock;
import dev.rollgate.local.platform.ProcessPlatform;
import dev.rollgate.testing.HeadlessChromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page of the running local host in a real browser (Debian's headless Chromium): loaded
 * while a release is in flight and after a good and a bad one ended, its rendered DOM checked for
 * what people look for, a value holding {@code <script>} shown as text, and screenshots at desktop
 * and phone widths kept in target/status-page/.
 */
class StatusPageIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path DEMO = Path.of("demo").toAbsolutePath();
  private static final Path SHOTS = Path.of("target/status-page");
  private static final String HOSTILE = "<script>alert(1)</script>";

  @TempDir static Path dir;
  private static LocalHost host;

  @BeforeAll
  static void start() throws Exception {
    // Releases of the sample service: 'good', a slow 'slow', and 'bad', whose version is a script
    // (health expects version 'good' or 'slow', so its detail repeats the value).
    release("good", "version=good\nhealthy=true\n");
    release("slow", "version=slow\nhealthy=true\nstartupDelayMs=4000\n");
    release("bad", "version=" + HOSTILE + "\nhealthy=true\n");
    String command =
        "{java} %s --port {port} --image {image} --release-dir %s/{tag}"
            .formatted(DEMO.resolve("sample-service/SampleService.java"), dir.resolve("releases"));
    String yaml =
        """
        version: 1
        apps:
          - name: shop
            image: localhost:5000/demo/shop
            environments:
              staging:
                target: { platform: local, service: status-page-shop, command: "%s" }
                health: { url: "{url}/health", json: { field: status, equals: UP },
                          interval: 200ms, successThreshold: 2, failureThreshold: 2, deadline: 60s }
          - name: qa
            image: localhost:5000/demo/qa
            environments:
              staging:
                target: { platform: local, service: status-page-qa, command: "%s" }
                health: { url: "{url}/health", json: { field: version, equals: good },
                          interval: 200ms, successThreshold: 2, failureThreshold: 2, deadline: 60s }
        """
            .formatted(command, command);
    Path manifest = dir.resolve("rollgate.yaml");
    Files.writeString(manifest, yaml);
    host =
        LocalHost.start(
            LocalHost.Settings.of(manifest.toString(), dir.resolve("state").toString(), 0)
                .withTimings(Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(15)));
  }

  private static void release(String tag, String properties) throws Exception {
    Path r = Files.createDirectories(dir.resolve("releases").resolve(tag));
    Files.writeString(r.resolve("release.properties"), properties);
  }

  @AfterAll
  static void stop() throws Exception {
    if (host != null) {
      host.close();
    }
    try (ProcessPlatform platform =
        new ProcessPlatform(dir.resolve("state/platform"), dir, Clock.system())) {
      platform.stopAll();
    }
  }

  @Test
  void statusPage_shouldShowWhatServesWhatIsInFlightAndWhy_whenABrowserLoadsIt() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.find();
    String page = "http://127.0.0.1:" + host.port() + "/status";

    // GIVEN 'good' serving in both apps
    assertEquals(202, push("shop", "good", 1).statusCode());
    assertEquals(202, push("qa", "good", 2).statusCode());

    // WHEN 'slow' is being rolled out to staging and the page is loaded meanwhile
    CompletableFuture<HttpResponse<String>> slow =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return push("shop", "slow", 3);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    String during = awaitInFlight(chromium, page);

    // THEN it shows the release in flight, and reloads itself
    assertTrue(during.contains("in flight"), during);
    assertTrue(during.contains("http-equiv=\"refresh\""), during);
    chromium.screenshot(page, 1280, 800, SHOTS.resolve("in-flight-desktop.png"));
    assertEquals(202, slow.get().statusCode());

    // WHEN 'bad' (a version holding a script) fails in qa, and the page is loaded after it ended
    HttpResponse<String> bad = push("qa", "bad", 4);
    assertEquals(202, bad.statusCode(), bad.body());
    assertTrue(bad.body().contains("ROLLED_BACK"), bad.body());
    String after = chromium.dumpDom(page);

    // THEN staging serves 'slow' and qa 'good' again, by tag, short digest and revision
    String staging = section(after, "shop/staging");
    assertTrue(staging.contains(">slow</strong>"), staging);
    assertTrue(staging.contains("sha256:" + "0".repeat(12)), staging);
    assertTrue(staging.contains("status-page-shop"), staging);
    String qa = section(after, "qa/staging");
    assertTrue(qa.contains(">good</strong>"), qa);
    assertTrue(qa.contains("ROLLED_BACK") && qa.contains("failed: "), qa);
    // ... the failure's own reason, the script in it shown as text and never run
    assertTrue(qa.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), qa);
    assertFalse(after.contains("<script"), after);
    // ... qa's DORA figures: two deployments, one failed
    assertTrue(qa.contains("DORA since") && qa.contains("2 (") && qa.contains("50.0 %"), qa);
    // ... the ledger intact; nothing in flight, so no reload
    assertTrue(after.contains("ledger: intact"), after);
    assertFalse(after.contains("http-equiv=\"refresh\""), after);

    // AND it is the page at desktop and phone widths (kept as build artifacts)
    for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
      Path shot =
          chromium.screenshot(
              page, size[0], size[1], SHOTS.resolve("after-" + size[0] + "x" + size[1] + ".png"));
      assertTrue(Files.size(shot) > 5_000, shot + " is " + Files.size(shot) + " bytes");
    }

    // AND an API client still gets JSON
    HttpResponse<String> json =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(page)).header("Accept", "application/json").build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals("application/json", json.headers().firstValue("Content-Type").orElse(""));
    assertTrue(JSON.readTree(json.body()).has("environments"), json.body());
  }

  private static String awaitInFlight(HeadlessChromium chromium, String page) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String dom = "";
    while (System.nanoTime() < end) {
      dom = chromium.dumpDom(page);
      if (dom.contains("class=\"inflight\"")) {
        return dom;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the page never showed a release in flight: " + dom);
  }

  /** The page's section of one environment. */
  private static String section(String dom, String env) {
    int start = dom.indexOf("data-env=\"" + env + "\"");
    assertTrue(start >= 0, env + " not on the page: " + dom);
    int end = dom.indexOf("</section>", start);
    return dom.substring(start, end);
  }

  /** A push of localhost:5000/demo/REPOSITORY:TAG at digest n. */
  private static HttpResponse<String> push(String repository, String tag, int n) throws Exception {
    String body =
        "{\"repository\":\"localhost:5000/demo/%s\",\"tag\":\"%s\",\"digest\":\"sha256:%064x\"}"
            .formatted(repository, tag, n);
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/imagePushed"))
            .timeout(Duration.ofMinutes(2))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
