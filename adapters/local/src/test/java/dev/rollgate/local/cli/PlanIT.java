package dev.rollgate.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.local.LocalHost;
import dev.rollgate.local.demo.DemoStateAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/rollgate plan} against a real local host: the plan of a push names the
 * environment, Flyway's pending migrations and the diff; it writes nothing to the ledger; the same
 * event then really pushed changes exactly the fields the plan listed, from and to the values it
 * listed (read back from what the local platform launched); a redelivery plans nothing (exit 2).
 */
class PlanIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REPO = "localhost:5000/demo/shop";

  @TempDir Path home;

  @Test
  void plan_shouldPrintTheDiffTheRolloutThenApplies_andWriteNothing() throws Exception {
    Path state = home.resolve("state");
    try (LocalHost host =
        LocalHost.start(
            LocalHost.Settings.of("demo/rollgate.yaml", state.toString(), 0)
                .withTimings(
                    Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(5)))) {
      String url = "http://127.0.0.1:" + host.port();
      try {
        // GIVEN v1 serves staging (schema at version 1)
        String v1 = push(url, "/imagePushed", event("v1", "aa"));
        assertTrue(v1.contains("SUCCEEDED"), v1);
        JsonNode before = status(url);
        Map<String, JsonNode> launchedBefore = revisions(state);

        // WHEN v2's push is planned through the CLI
        Path file = home.resolve("v2.json");
        Files.writeString(file, event("v2", "cd"));
        HostCliAccess.Run plan = cli("plan", "--event", file.toString(), "--host", url);

        // THEN it would deploy staging (production deploys on promotion only), V2 is pending,
        // and the image and command change
        assertEquals(0, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("shop/staging: deploy " + REPO + ":v2@sha256:"), plan.out());
        assertFalse(plan.out().contains("shop/production"), plan.out());
        assertTrue(plan.out().contains("schema now at version 1"), plan.out());
        assertTrue(
            plan.out().contains("pending 2 add order status (V2__add_order_status.sql)"),
            plan.out());
        assertTrue(plan.out().contains("    image\n      - " + REPO + ":v1@sha256:"), plan.out());
        assertTrue(plan.out().contains("    command\n"), plan.out());
        JsonNode planned = JSON.readTree(push(url, "/plan", event("v2", "cd")));
        JsonNode staging = planned.path("environments").get(0);
        assertEquals("deploy", staging.path("decision").asText(), planned.toString());

        // AND the ledger is as it was: no transition, no deployment, the same chain
        JsonNode after = status(url);
        assertEquals(
            before.path("ledger").path("transitions"), after.path("ledger").path("transitions"));
        assertEquals("intact", after.path("ledger").path("chain").asText());
        // (every environment's deployments alike; the DORA window moves with the clock)
        assertEquals(withoutDora(before), withoutDora(after));

        // WHEN the same event is really pushed
        String v2 = push(url, "/imagePushed", Files.readString(file));
        assertTrue(v2.contains("SUCCEEDED"), v2);
        assertTrue(v2.contains("\"schemaVersion\":\"2\""), v2);

        // THEN what the platform launched differs from what served in exactly the planned fields
        Map<String, JsonNode> launchedAfter = revisions(state);
        JsonNode old = launchedBefore.get(serving(state));
        assertEquals(null, old, "the serving revision is new");
        JsonNode previous = launchedAfter.get(previousServing(launchedBefore, state));
        JsonNode current = launchedAfter.get(serving(state));
        Map<String, String[]> applied = diff(previous, current);
        Map<String, String[]> plannedChanges = new LinkedHashMap<>();
        for (JsonNode c : staging.path("changes")) {
          plannedChanges.put(
              c.path("field").asText(),
              new String[] {c.path("from").asText(null), c.path("to").asText(null)});
        }
        assertEquals(applied.keySet(), plannedChanges.keySet(), plan.out());
        for (String field : applied.keySet()) {
          assertEquals(applied.get(field)[0], plannedChanges.get(field)[0], field + " from");
          assertEquals(applied.get(field)[1], plannedChanges.get(field)[1], field + " to");
        }

        // AND the same event planned again would do nothing: it was received before
        HostCliAccess.Run again = cli("plan", "--event", file.toString(), "--host", url);
        assertEquals(2, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("nothing would happen"), again.out());
        assertTrue(again.out().contains("was received before"), again.out());
      } finally {
        DemoStateAccess.stopRevisions(state);
      }
    }
  }

  private static HostCliAccess.Run cli(String... args) {
    return HostCliAccess.run(args);
  }

  private static String event(String tag, String digestByte) {
    return "{\"repository\":\""
        + REPO
        + "\",\"tag\":\""
        + tag
        + "\",\"digest\":\"sha256:"
        + digestByte.repeat(32)
        + "\"}";
  }

  private static String push(String url, String path, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static JsonNode status(String url) throws Exception {
    return JSON.readTree(
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "/status")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  /** The local platform's state file of shop-staging, as it is on disk. */
  private static JsonNode service(Path state) throws Exception {
    try (Stream<Path> files = Files.walk(state)) {
      Path file =
          files
              .filter(p -> p.getFileName().toString().equals("shop-staging.json"))
              .findFirst()
              .orElseThrow();
      return JSON.readTree(file.toFile());
    }
  }

  private static String serving(Path state) throws Exception {
    return service(state).path("serving").asText();
  }

  /** The one revision that served before the push (the only one launched then). */
  private static String previousServing(Map<String, JsonNode> before, Path state) {
    assertEquals(1, before.size(), before.keySet().toString());
    return before.keySet().iterator().next();
  }

  private static Map<String, JsonNode> revisions(Path state) throws Exception {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode r : service(state).path("revisions")) {
      out.put(r.path("id").asText(), r);
    }
    return out;
  }

  /**
   * What changed between two launched revisions, read from what the platform recorded it ran: the
   * image, the command line as launched (its own port put back as {@code {port}}), each variable.
   */
  private static Map<String, String[]> diff(JsonNode from, JsonNode to) throws Exception {
    Map<String, String[]> out = new LinkedHashMap<>();
    put(out, "image", image(from), image(to));
    put(out, "command", launched(from), launched(to));
    Map<String, String> fromEnv = JSON.convertValue(from.path("env"), Map.class);
    Map<String, String> toEnv = JSON.convertValue(to.path("env"), Map.class);
    java.util.TreeSet<String> names = new java.util.TreeSet<>(fromEnv.keySet());
    names.addAll(toEnv.keySet());
    for (String n : names) {
      put(out, "env." + n, fromEnv.get(n), toEnv.get(n));
    }
    return out;
  }

  private static void put(Map<String, String[]> out, String field, String from, String to) {
    if (from == null ? to != null : !from.equals(to)) {
      out.put(field, new String[] {from, to});
    }
  }

  private static String image(JsonNode revision) throws Exception {
    return JSON.treeToValue(revision.path("image"), ImageRef.class).display();
  }

  private static String launched(JsonNode revision) {
    String port = revision.path("port").asText();
    StringBuilder b = new StringBuilder();
    for (JsonNode word : revision.path("command")) {
      String w = word.asText();
      b.append(b.length() == 0 ? "" : " ").append(w.equals(port) ? "{port}" : w);
    }
    assertNotEquals(0, b.length());
    return b.toString();
  }

  /** The status's environments without their DORA figures, whose window ends now. */
  private static JsonNode withoutDora(JsonNode status) {
    com.fasterxml.jackson.databind.node.ArrayNode envs = status.path("environments").deepCopy();
    envs.forEach(e -> ((com.fasterxml.jackson.databind.node.ObjectNode) e).remove("dora"));
    return envs;
  }
}
