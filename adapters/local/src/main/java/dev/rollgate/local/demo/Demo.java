package dev.rollgate.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.local.LocalHost;
import dev.rollgate.local.cli.DoraCommand;
import dev.rollgate.local.demo.DemoClient.Reply;
import dev.rollgate.local.notify.LocalReceiver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo behind {@code scripts/demo}: starts the local host on embedded PostgreSQL and plays the
 * whole loop over real HTTP, narrating each step and checking that it happened as told. Exits 0
 * only when every check held.
 */
public final class Demo {

  static final String REPO = "localhost:5000/demo/shop";

  private final PrintStream out;
  private final DemoClient client;
  private final String token;
  private final Path home;
  private int failures;
  private int step;
  private DemoNotifications notifications;
  private DemoSafeReleases safe;

  Demo(PrintStream out, DemoClient client, String token, Path home) {
    this.home = home;
    this.out = out;
    this.client = client;
    this.token = token;
  }

  DemoClient client() {
    return client;
  }

  PrintStream out() {
    return out;
  }

  String token() {
    return token;
  }

  public static void main(String[] args) throws Exception {
    Path manifest = Path.of(args.length > 0 ? args[0] : "adapters/local/demo/rollgate.yaml");
    Path home = Path.of(args.length > 1 ? args[1] : ".rollgate/demo");
    String token = System.getenv("ROLLGATE_PROMOTE_TOKEN");
    if (token == null || token.isBlank()) {
      System.err.println("demo: set ROLLGATE_PROMOTE_TOKEN (scripts/demo does)");
      System.exit(2);
    }
    System.exit(run(manifest, home, token, System.out));
  }

  /** Runs the demo against a fresh state directory; returns the number of failed checks. */
  public static int run(Path manifest, Path home, String token, PrintStream out) throws Exception {
    // The narration is the demo's output; the host's own log says only warnings and errors.
    System.setProperty("logging.level.root", "WARN");
    // Alerts the demo provokes on purpose (the tampered backup) are narrated, not logged.
    System.setProperty("logging.level.rollgate", "ERROR");
    DemoState.wipe(home);
    Files.createDirectories(home);
    Map<String, String> env = System.getenv();
    Optional<String> noPrometheus = DemoPrometheus.missing(env);
    Optional<String> noRegistry = DemoRegistry.missing(env);
    out.println("Starting the local host (embedded PostgreSQL, state in " + home + ") ...");
    long t0 = System.nanoTime();
    try (DemoTools.Server prometheus = startPrometheus(home, noPrometheus, out);
        DemoRegistry registry = startRegistry(home, noRegistry, out);
        DemoNotifications notifications =
            DemoNotifications.prepare(
                manifest, home, DemoSafeReleases.manifestEdit(prometheus, registry));
        LocalHost host =
            LocalHost.start(
                LocalHost.Settings.of(
                        notifications.manifest().toString(),
                        home.toString(),
                        notifications.hostPort())
                    .withTimings(
                        Duration.ofSeconds(2), Duration.ofMinutes(3), Duration.ofSeconds(15))
                    // The demo takes and verifies its backups itself: the host's schedule would
                    // take one of its own a minute in, and the story would depend on the clock.
                    .withBackupCheckEvery(Duration.ofHours(1)))) {
      out.printf(
          "Local host up on http://127.0.0.1:%d in %.1fs%n",
          host.port(), (System.nanoTime() - t0) / 1e9);
      out.printf(
          "Notifications (Slack, Discord, Teams, signed webhook) go to the demo's receiver at %s%n%n",
          notifications.receiverUrl());
      Demo demo = new Demo(out, new DemoClient("http://127.0.0.1:" + host.port()), token, home);
      demo.notifications = notifications;
      demo.safe =
          new DemoSafeReleases(
              demo,
              prometheus,
              noPrometheus.orElse(prometheus == null ? "Prometheus did not start" : null),
              registry,
              noRegistry.orElse(registry == null ? "the registry did not start" : null));
      try {
        demo.play();
      } finally {
        DemoState.stopRevisions(home);
      }
      return demo.failures;
    }
  }

  /** Prometheus for the production canary's gate, or null (said why) when it cannot start. */
  private static DemoTools.Server startPrometheus(
      Path home, Optional<String> missing, PrintStream out) {
    if (missing.isPresent()) {
      return null;
    }
    try {
      return DemoPrometheus.start(home.resolve("prometheus"), home.resolve("platform"));
    } catch (IOException e) {
      out.println(
          "Prometheus did not start, so the demo skips the metrics gate: " + e.getMessage());
      return null;
    }
  }

  /** The local registry for the tag-only push, or null (said why) when it cannot start. */
  private static DemoRegistry startRegistry(Path home, Optional<String> missing, PrintStream out) {
    if (missing.isPresent()) {
      return null;
    }
    try {
      return DemoRegistry.start(home.resolve("registry"));
    } catch (IOException e) {
      out.println("docker-registry did not start, so the demo skips the tag-only push: " + e);
      return null;
    }
  }

  private void play() throws IOException, InterruptedException {
    // 1. v1 pushed: migrations applied, rolled out, healthy.
    title("v1 pushed to " + REPO);
    JsonNode v1 = only(push("v1", "evt-1"), "staging");
    expect(v1, "SUCCEEDED", "v1 SUCCEEDED in staging");
    expectEquals(v1.path("schemaVersion").asText(), "1", "schema at version 1 after v1");
    String stagingUrl = v1.path("url").asText();
    expectServes(stagingUrl, "v1");

    // 2. v1 promoted to production.
    title("v1 promoted from staging to production");
    Reply unauthorized = client.post("/promote", promotion(digest("v1")));
    expectEquals(unauthorized.status(), 401, "promotion without a token is refused (401)");
    Reply promoted =
        client.post("/promote", promotion(digest("v1")), "Authorization", "Bearer " + token);
    expectEquals(promoted.status(), 202, "promotion accepted (202)");
    JsonNode prod = promoted.body().path("deployment");
    expect(prod, "SUCCEEDED", "v1 SUCCEEDED in production");
    expectServes(prod.path("url").asText(), "v1");

    String productionUrl = prod.path("url").asText();

    // 3. v2 with a new migration: first what it would do (plan), then the push.
    title("v2 planned, then pushed, with a new migration");
    JsonNode plan = safe.plan("v2", "evt-2", stagingUrl, "v1");
    JsonNode v2 = only(push("v2", "evt-2"), "staging");
    expect(v2, "SUCCEEDED", "v2 SUCCEEDED in staging");
    expectEquals(v2.path("schemaVersion").asText(), "2", "schema at version 2 after v2");
    expectServes(stagingUrl, "v2");
    safe.planHeld(plan, v2);

    // 3b. v2 promoted to production as a canary whose steps pass.
    safe.canaryPasses("v2", productionUrl);

    // 4. v3 is broken: it fails verification and v2 serves again.
    title("v3 pushed: its health check fails");
    RollbackWatch watch = RollbackWatch.start(client, stagingUrl + "/health", "v3", "v2");
    JsonNode v3 = only(push("v3", "evt-3"), "staging");
    watch.stop();
    expect(v3, "ROLLED_BACK", "v3 FAILED and was ROLLED_BACK");
    expectServes(stagingUrl, "v2");
    if (watch.recoveryMillis() >= 0) {
      out.printf(
          "      first unhealthy answer of v3 -> v2 serving again: %d ms"
              + " (goal <= failureThreshold x interval + 2s = 3500 ms)%n",
          watch.recoveryMillis());
    }

    // 5. v3 pushed again: refused as known-bad.
    title("v3 pushed again");
    JsonNode again = only(push("v3", "evt-4"), "staging");
    expect(again, "REFUSED", "v3 refused as known-bad");

    // 6. the v2 event delivered again: a duplicate.
    title("the v2 event delivered a second time");
    int before = client.get("/status").body().path("environments").get(0).path("recent").size();
    Reply dup = client.post("/imagePushed", pushBody("v2", "evt-2"));
    expectEquals(dup.body().path("duplicate").asBoolean(), true, "recognised as a duplicate");
    int after = client.get("/status").body().path("environments").get(0).path("recent").size();
    expectEquals(after, before, "no second deployment");

    // 6b. v4: healthy probes, failing requests: the Prometheus gate stops its production canary.
    safe.gateStops("v4", "evt-5", stagingUrl, productionUrl, "v2");

    // 6c. v5 pushed as a tag only, resolved to its digest at the local registry.
    safe.tagOnlyPush("v5", "evt-6", stagingUrl);

    // 6d. another app releases two services in order; a failing second one takes both back.
    new DemoOrderedRelease(this).play();

    // 7. a backup of staging's database, proven by a restore into a scratch database.
    title("a backup of staging's database, and a restore test");
    Reply backup = client.post("/backup", "{\"app\":\"shop\",\"environment\":\"staging\"}");
    expectEquals(backup.status(), 200, "backup taken: " + backup.body().path("summary").asText());
    Reply verified = client.post("/verifyBackup", "{\"app\":\"shop\",\"environment\":\"staging\"}");
    expectEquals(
        verified.body().path("passed").asBoolean(),
        true,
        "backup "
            + verified.body().path("backup").asText()
            + " verified (restored, every check held)");

    // 8. the same backup with a file altered on disk: the restore test refuses it.
    title("a backup file altered on disk");
    Path altered = DemoState.alterBackupFile(home, backup.body().path("backup").asText());
    out.printf("      flipped one byte of %s%n", home.relativize(altered));
    Reply tampered = client.post("/verifyBackup", "{\"app\":\"shop\",\"environment\":\"staging\"}");
    String reason = tampered.body().path("reason").asText();
    expectEquals(
        tampered.body().path("passed").asBoolean() + " " + reason.contains("corrupted"),
        "false true",
        "tampered backup refused: " + reason);
    expectEquals(
        String.valueOf(tampered.body().path("rpoExceeded").asBoolean()),
        "true",
        "with its only backup failing, staging has no verified backup: its RPO counts as exceeded");

    JsonNode ledger = client.get("/status").body().path("ledger");
    expectEquals(
        ledger.path("chain").asText(),
        "intact",
        "the ledger's log is intact: "
            + ledger.path("transitions").asLong()
            + " chained transitions");
    DemoReport.print(out, client.get("/status?after=0").body());
    heard();
    out.println();
    out.println(
        failures == 0
            ? "Demo complete: every step happened as narrated."
            : "Demo FAILED: " + failures + " check(s) did not hold (see above).");
  }

  /** What the receiver heard, as Slack shows it; then the status page's URL and DORA table. */
  private void heard() throws IOException, InterruptedException {
    List<LocalReceiver.Message> got = notifications.show(out);
    out.println();
    for (String service : LocalReceiver.SERVICES) {
      long n = got.stream().filter(m -> m.service().equals(service)).count();
      expectEquals(n > 0, true, service + " received " + n + " messages");
    }
    long webhooks = got.stream().filter(m -> m.service().equals("webhook")).count();
    expectEquals(
        notifications.verifiedWebhooks(got),
        webhooks,
        "every webhook message's signature verifies with rollgate's own verifier");
    expectEquals(notifications.anySecretIn(got), false, "no secret in any message");
    out.println();
    out.println("Status page: " + client.base() + "/status");
    out.println();
    DoraCommand.table(client.get("/status").body(), out);
  }

  JsonNode push(String tag, String id) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Reply r = client.post("/imagePushed", pushBody(tag, id));
    out.printf(
        "      POST /imagePushed -> %d in %.1fs%n", r.status(), (System.nanoTime() - start) / 1e9);
    return r.body();
  }

  static String pushBody(String tag, String id) {
    return "{\"repository\":\"%s\",\"tag\":\"%s\",\"digest\":\"%s\",\"id\":\"%s\"}"
        .formatted(REPO, tag, digest(tag), id);
  }

  static String promotion(String digest) {
    return "{\"app\":\"shop\",\"from\":\"staging\",\"to\":\"production\",\"digest\":\"%s\",\"by\":\"demo\"}"
        .formatted(digest);
  }

  /** A stand-in for the registry: each demo tag has a fixed digest. */
  static String digest(String tag) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(("shop:" + tag).getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(d);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  JsonNode only(JsonNode pushReply, String environment) {
    for (JsonNode d : pushReply.path("deployments")) {
      if (environment.equals(d.path("environment").asText())) {
        return d;
      }
    }
    fail("no deployment for " + environment + " in the reply: " + pushReply);
    return pushReply.path("missing");
  }

  void title(String text) {
    out.printf("%n[%d] %s%n", ++step, text);
  }

  void expect(JsonNode deployment, String phase, String what) {
    String actual = deployment.path("phase").asText("none");
    String detail = deployment.path("detail").asText("");
    if (phase.equals(actual)) {
      out.printf("  ok  %s  (%s)%n", what, detail);
    } else {
      fail(what + ": expected " + phase + ", got " + actual + " (" + detail + ")");
    }
  }

  void expectEquals(Object actual, Object expected, String what) {
    if (expected.equals(actual)) {
      out.printf("  ok  %s%n", what);
    } else {
      fail(what + ": expected " + expected + ", got " + actual);
    }
  }

  void expectServes(String url, String version) {
    String body = client.fetch(url + "/health");
    boolean ok =
        body != null && body.contains("\"version\":\"" + version + "\"") && body.contains("UP");
    if (ok) {
      out.printf("  ok  %s serves %s%n", url, version);
    } else {
      fail(url + " should serve " + version + " and be UP, answered: " + body);
    }
  }

  void fail(String what) {
    failures++;
    out.printf("  FAIL %s%n", what);
  }
}
