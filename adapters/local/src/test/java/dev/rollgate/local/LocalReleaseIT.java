package dev.rollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ordered release of two services (api, then web) on the local host, with real processes of the
 * demo's sample service: v1 releases both; v2's web answers 503, so web and then api go back to v1,
 * and the timeline says so.
 */
class LocalReleaseIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path SAMPLE =
      Path.of("demo/sample-service/SampleService.java").toAbsolutePath();

  @TempDir static Path dir;
  private static LocalHost host;

  @BeforeAll
  static void start() throws Exception {
    release("api-v1", true);
    release("web-v1", true);
    release("api-v2", true);
    release("web-v2", false);
    String health =
        "health: { url: \"{url}/health\", json: { field: status, equals: UP }, interval: 300ms,"
            + " timeout: 1s, successThreshold: 2, failureThreshold: 2, deadline: 60s }";
    Files.writeString(
        dir.resolve("rollgate.yaml"),
        """
        version: 1
        apps:
          - name: shop
            image: localhost:5000/demo/shop
            environments:
              staging:
                services:
                  - name: api
                    target: { platform: local, service: shop-api, command: "%1$s" }
                    %2$s
                  - name: web
                    target: { platform: local, service: shop-web, command: "%3$s" }
                    %2$s
        """
            .formatted(command("api"), health, command("web")));
    host =
        LocalHost.start(
            LocalHost.Settings.of(
                    dir.resolve("rollgate.yaml").toString(), dir.resolve("state").toString(), 0)
                .withTimings(Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(10)));
  }

  @AfterAll
  static void stop() {
    if (host != null) {
      host.close();
    }
  }

  private static String command(String service) {
    return "{java} -Xmx48m -Xss512k -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "
        + SAMPLE
        + " --port {port} --image {image} --release-dir "
        + dir.resolve("releases")
        + "/"
        + service
        + "-{tag}";
  }

  private static void release(String name, boolean healthy) throws Exception {
    Path d = Files.createDirectories(dir.resolve("releases").resolve(name));
    Files.writeString(
        d.resolve("release.properties"),
        "version=" + name + "\nhealthy=" + healthy + "\nreason=" + name + " cannot start\n");
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String push(String tag, int n) {
    return "{\"repository\":\"localhost:5000/demo/shop\",\"tag\":\"%s\",\"digest\":\"sha256:%s\",\"id\":\"push-%s\"}"
        .formatted(tag, String.valueOf(n).repeat(64), tag);
  }

  /** The environment's most recent deployment once it reached its outcome. */
  private static JsonNode settled() throws Exception {
    long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      JsonNode env = JSON.readTree(send("GET", "/status", null).body()).path("environments").get(0);
      JsonNode latest = env.path("recent").get(0);
      if (env.path("inFlight").size() == 0 && latest != null) {
        return env;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("still in flight: " + env);
      }
      Thread.sleep(200);
    }
  }

  private static List<String> timeline(String deployment) throws Exception {
    JsonNode t = JSON.readTree(send("GET", "/status?after=0", null).body()).path("timeline");
    List<String> out = new ArrayList<>();
    for (JsonNode n : t) {
      if (deployment.equals(n.path("deployment").asText())) {
        out.add(n.path("reason").asText());
      }
    }
    return out;
  }

  private static String version(JsonNode part) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(part.path("url").asText() + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  @Test
  void release_shouldRollOutApiThenWeb_andRestoreBothInReverseOrder_whenWebFails()
      throws Exception {
    // WHEN v1 is pushed: api, then web, each verified
    assertEquals(202, send("POST", "/imagePushed", push("v1", 1)).statusCode());
    JsonNode v1 = settled().path("recent").get(0);
    assertEquals("SUCCEEDED", v1.path("phase").asText(), v1.toString());
    JsonNode parts = v1.path("parts");
    assertEquals("api", parts.get(0).path("service").asText());
    assertEquals("SUCCEEDED", parts.get(0).path("state").asText());
    assertEquals("SUCCEEDED", parts.get(1).path("state").asText());
    String apiV1 = parts.get(0).path("revision").asText();
    String webV1 = parts.get(1).path("revision").asText();
    assertTrue(version(parts.get(0)).contains("api-v1"), version(parts.get(0)));
    assertTrue(version(parts.get(1)).contains("web-v1"), version(parts.get(1)));

    // WHEN v2 is pushed, whose web answers 503
    assertEquals(202, send("POST", "/imagePushed", push("v2", 2)).statusCode());
    JsonNode env = settled();
    JsonNode v2 = env.path("recent").get(0);

    // THEN the release is ROLLED_BACK and both services serve v1 again
    assertEquals("ROLLED_BACK", v2.path("phase").asText(), v2.toString());
    assertEquals("ROLLED_BACK", v2.path("parts").get(0).path("state").asText());
    assertEquals("ROLLED_BACK", v2.path("parts").get(1).path("state").asText());
    assertTrue(version(v2.path("parts").get(0)).contains("api-v1"));
    assertTrue(version(v2.path("parts").get(1)).contains("web-v1"));
    // AND the timeline tells it part by part: web failed, web restored, then api restored
    List<String> reasons = timeline(v2.path("id").asText());
    int failed = index(reasons, "web: 2 consecutive unhealthy probes");
    int web = index(reasons, "web: revision " + webV1 + " restored and healthy");
    int api = index(reasons, "api: revision " + apiV1 + " restored and healthy");
    int outcome = index(reasons, "release rolled back: restored web (revision " + webV1 + ")");
    assertTrue(failed < web && web < api && api < outcome, reasons.toString());
  }

  private static int index(List<String> reasons, String start) {
    for (int i = 0; i < reasons.size(); i++) {
      if (reasons.get(i).startsWith(start)) {
        return i;
      }
    }
    throw new AssertionError("no reason starting with '" + start + "' in " + reasons);
  }
}
