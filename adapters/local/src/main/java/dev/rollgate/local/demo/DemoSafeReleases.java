package dev.rollgate.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.local.demo.DemoClient.Reply;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The demo's safer-release steps, each a method of its own: a plan before a push, a production
 * canary that passes its steps, one a Prometheus gate stops at the first step, and a push naming
 * only a tag resolved at a local registry. The gate and the registry need Debian's {@code
 * prometheus} and {@code docker-registry}; without them their steps say how to install them and are
 * skipped.
 */
final class DemoSafeReleases {

  private static final String MARKER = "# prometheus: (added by the demo)";

  /** The sample service's error ratio over the last 10 s, for the revision under analysis. */
  static final String ERROR_RATIO =
      "sum(rate(sample_http_requests_total{revision=\"{revision}\",code=~\"5..\"}[10s]))"
          + " / sum(rate(sample_http_requests_total{revision=\"{revision}\"}[10s]))";

  private final Demo demo;
  private final DemoClient client;
  private final PrintStream out;
  private final DemoTools.Server prometheus;
  private final String noPrometheus;
  private final DemoRegistry registry;
  private final String noRegistry;

  DemoSafeReleases(
      Demo demo,
      DemoTools.Server prometheus,
      String noPrometheus,
      DemoRegistry registry,
      String noRegistry) {
    this.demo = demo;
    this.client = demo.client();
    this.out = demo.out();
    this.prometheus = prometheus;
    this.noPrometheus = noPrometheus;
    this.registry = registry;
    this.noRegistry = noRegistry;
  }

  /**
   * The manifest as the demo runs it: production's canary judged by Prometheus too (when it runs),
   * and the app's registry host {@code localhost:5000} answered by the local registry (when it
   * runs).
   */
  static UnaryOperator<String> manifestEdit(DemoTools.Server prometheus, DemoRegistry registry) {
    return text -> {
      String edited = text;
      if (prometheus != null) {
        String indent = "              ";
        edited =
            edited.replace(
                MARKER,
                ("prometheus:\n"
                        + "%1$s  url: %2$s\n"
                        + "%1$s  query: '%3$s'\n"
                        + "%1$s  expect: \"< 0.01\"\n"
                        + "%1$s  timeout: 2s")
                    .formatted(indent, prometheus.url(), ERROR_RATIO));
      }
      if (registry != null) {
        edited +=
            "\n# Added by the demo: tag-only pushes of localhost:5000 resolve at its local registry.\n"
                + "registries:\n  \"localhost:5000\": { url: \""
                + registry.url()
                + "\" }\n";
      }
      return edited;
    };
  }

  /** POST /plan for the push of {@code tag}: narrated, and checked to change nothing yet. */
  JsonNode plan(String tag, String id, String stagingUrl, String serving)
      throws IOException, InterruptedException {
    Reply r = client.post("/plan", Demo.pushBody(tag, id));
    JsonNode plan = r.body();
    out.printf(
        "      POST /plan -> %d: wouldDeploy=%s%n", r.status(), plan.path("wouldDeploy").asText());
    for (JsonNode e : plan.path("environments")) {
      out.printf(
          "      %s/%s: %s on %s%n",
          e.path("app").asText(),
          e.path("environment").asText(),
          e.path("decision").asText(),
          e.path("target").asText());
      JsonNode m = e.path("migrations");
      out.printf(
          "        migrations (%s, at version %s): %s pending %s%n",
          m.path("tool").asText(),
          m.path("current").asText("-"),
          m.path("pending").size(),
          m.path("pending"));
      for (JsonNode c : e.path("changes")) {
        String from = c.path("from").asText("(nothing)");
        String to = c.path("to").asText("(nothing)");
        int same = 0;
        while (same < Math.min(from.length(), to.length())
            && from.charAt(same) == to.charAt(same)) {
          same++;
        }
        // Long values (the command line) are shown from a little before where they differ.
        int cut = from.length() > 100 ? Math.max(0, from.lastIndexOf(' ', same) - 40) : 0;
        out.printf(
            "        %-8s %s%n                 -> %s%n",
            c.path("field").asText(),
            abbreviate((cut > 0 ? "…" : "") + from.substring(cut), 110),
            abbreviate((cut > 0 ? "…" : "") + to.substring(cut), 110));
      }
    }
    demo.expectEquals(
        plan.path("wouldDeploy").asBoolean(), true, "the plan says " + tag + " would deploy");
    demo.expectServes(stagingUrl, serving);
    return plan;
  }

  /** The deployment that followed the plan did what the plan said. */
  void planHeld(JsonNode plan, JsonNode deployment) {
    JsonNode staging = null;
    for (JsonNode e : plan.path("environments")) {
      if (e.path("environment").asText().equals(deployment.path("environment").asText())) {
        staging = e;
      }
    }
    if (staging == null) {
      demo.fail("the plan named no " + deployment.path("environment").asText() + ": " + plan);
      return;
    }
    String plannedImage = "";
    for (JsonNode c : staging.path("changes")) {
      if (c.path("field").asText().equals("image")) {
        plannedImage = c.path("to").asText();
      }
    }
    // The plan abbreviates digests to 12 hex digits, as the timeline does.
    String deployed = deployment.path("image").asText();
    demo.expectEquals(
        !plannedImage.isEmpty() && deployed.startsWith(plannedImage),
        true,
        "the image the plan named is the image that deployed: " + plannedImage);
    JsonNode pending = staging.path("migrations").path("pending");
    String last = pending.isEmpty() ? "" : pending.get(pending.size() - 1).asText();
    demo.expectEquals(
        last.split(" ")[0],
        deployment.path("schemaVersion").asText(),
        "the plan's last pending migration is the schema version the push reached");
  }

  /** A promotion to production that passes each canary step, shares counted at the stable URL. */
  void canaryPasses(String tag, String productionUrl) throws IOException, InterruptedException {
    demo.title(tag + " promoted to production as a canary: 25 % then 100 %, each step analysed");
    out.println(
        prometheus == null
            ? "      analysis: the probes' success rate and p95 latency (no Prometheus: "
                + noPrometheus
                + ")"
            : "      analysis: the probes' success rate and p95 latency, and Prometheus at "
                + prometheus.url()
                + ": error ratio < 0.01");
    JsonNode d;
    List<Step> steps;
    try (DemoTraffic traffic = DemoTraffic.start(productionUrl)) {
      d = promote(tag);
      steps = steps(d.path("id").asText(), traffic);
    }
    demo.expect(d, "SUCCEEDED", tag + " SUCCEEDED in production after every canary step");
    String canary = d.path("revision").asText();
    for (Step s : steps) {
      s.narrate(out, canary);
      int seen = s.percent(canary);
      demo.expectEquals(
          s.total() >= 10 && Math.abs(seen - s.share) <= 10,
          true,
          "step " + s.step + ": " + canary + " answered " + seen + " % at the stable URL");
    }
    demo.expectEquals(steps.size(), 2, "two steps, each started and passed in the ledger");
    demo.expectServes(productionUrl, tag);
  }

  /**
   * A release whose probes are healthy but whose requests fail: staging (no gate) takes it, and
   * production's canary is stopped at its first step by the Prometheus gate.
   */
  void gateStops(String tag, String id, String stagingUrl, String productionUrl, String serving)
      throws IOException, InterruptedException {
    demo.title(tag + " pushed: healthy probes, but it answers half its requests with 500");
    if (prometheus == null) {
      out.println(
          "      skipped (and production's canary is judged by its probes only): " + noPrometheus);
      return;
    }
    JsonNode staged = demo.only(demo.push(tag, id), "staging");
    demo.expect(staged, "SUCCEEDED", tag + " SUCCEEDED in staging (no metrics gate there)");
    demo.expectServes(stagingUrl, tag);

    demo.title(tag + " promoted to production: the Prometheus gate stops it at the first step");
    JsonNode d;
    List<Step> steps;
    Map<String, Integer> all;
    try (DemoTraffic traffic = DemoTraffic.start(productionUrl)) {
      d = promote(tag);
      steps = steps(d.path("id").asText(), traffic);
      all = traffic.all();
    }
    demo.expect(d, "ROLLED_BACK", tag + " FAILED at canary step 1 and was ROLLED_BACK");
    String canary = d.path("revision").asText();
    for (Step s : steps) {
      s.narrate(out, canary);
    }
    Step first = steps.isEmpty() ? null : steps.get(0);
    demo.expectEquals(
        first != null && first.step == 1 && first.result.contains("failed") && steps.size() == 1,
        true,
        "stopped at step 1 of 2, never given more than 25 %");
    demo.expectEquals(
        first != null && first.result.contains("Prometheus"),
        true,
        "the gate's reason is Prometheus's answer");
    int total = all.values().stream().mapToInt(Integer::intValue).sum();
    int bad = all.getOrDefault(canary, 0);
    double share = total == 0 ? 0 : 100.0 * bad / total;
    demo.expectEquals(
        total > 0 && share <= 25.0,
        true,
        String.format(
            "%s answered %d of the %d requests at the stable URL during the release (%.1f %%),"
                + " at most the first step's 25 %%",
            tag, bad, total, share));
    demo.expectServes(productionUrl, serving);
  }

  /**
   * A push naming only a tag, as Docker Hub and Quay send them: the tag is uploaded to the local
   * registry through its API, and what deploys is the digest the registry answered.
   */
  void tagOnlyPush(String tag, String id, String stagingUrl)
      throws IOException, InterruptedException {
    demo.title(tag + " pushed as a tag only (Docker Hub style), resolved at a local registry");
    if (registry == null) {
      out.println("      skipped: " + noRegistry);
      return;
    }
    String digest = registry.pushImage("demo/shop", tag, "the demo shop " + tag);
    out.printf(
        "      uploaded demo/shop:%s to the registry at %s (blobs, then the manifest): %s%n",
        tag, registry.url(), digest);
    String body =
        "{\"repository\":\"%s\",\"tag\":\"%s\",\"id\":\"%s\"}".formatted(Demo.REPO, tag, id);
    out.println("      POST /imagePushed " + body);
    Reply r = client.post("/imagePushed", body);
    JsonNode d = demo.only(r.body(), "staging");
    demo.expect(d, "SUCCEEDED", tag + " SUCCEEDED in staging");
    demo.expectEquals(
        d.path("digest").asText(), digest, "the deployment carries the digest the registry named");
    JsonNode serving = null;
    for (JsonNode e : client.get("/status").body().path("environments")) {
      if (e.path("app").asText().equals("shop")
          && e.path("environment").asText().equals("staging")) {
        serving = e.path("serving");
      }
    }
    demo.expectEquals(
        serving == null ? "" : serving.path("tag").asText() + "@" + serving.path("digest").asText(),
        tag + "@" + digest,
        "the ledger records " + tag + " with its digest as what serves in staging");
    demo.expectServes(stagingUrl, tag);
  }

  private JsonNode promote(String tag) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Reply r =
        client.post(
            "/promote",
            Demo.promotion(Demo.digest(tag)),
            "Authorization",
            "Bearer " + demo.token());
    out.printf(
        "      POST /promote -> %d in %.1fs%n", r.status(), (System.nanoTime() - start) / 1e9);
    return r.body().path("deployment");
  }

  /** Each canary step of a deployment (from the ledger's timeline) and the answers during it. */
  private List<Step> steps(String deployment, DemoTraffic traffic)
      throws IOException, InterruptedException {
    List<Step> steps = new ArrayList<>();
    Step open = null;
    for (JsonNode t : client.get("/status?after=0").body().path("timeline")) {
      String reason = t.path("reason").asText("");
      if (!t.path("deployment").asText().equals(deployment) || !reason.startsWith("canary step ")) {
        continue;
      }
      Instant at = Instant.parse(t.path("at").asText());
      String[] head = reason.substring("canary step ".length()).split("[/: ]", 3);
      int step = Integer.parseInt(head[0]);
      if (reason.matches("canary step \\d+/\\d+: \\d+ % to .*")) {
        int share =
            Integer.parseInt(reason.replaceFirst("canary step \\d+/\\d+: (\\d+) %.*", "$1"));
        open = new Step(step, Integer.parseInt(head[1]), share, at, reason);
      } else if (open != null && open.step == step && open.result == null) {
        open.result = reason;
        open.answers = traffic.between(open.start, at);
        steps.add(open);
      }
    }
    return steps;
  }

  /** One canary step: its share, when it began, how it ended and who answered meanwhile. */
  private static final class Step {
    final int step;
    final int of;
    final int share;
    final Instant start;
    final String began;
    String result;
    Map<String, Integer> answers = Map.of();

    Step(int step, int of, int share, Instant start, String began) {
      this.step = step;
      this.of = of;
      this.share = share;
      this.start = start;
      this.began = began;
    }

    int total() {
      return answers.values().stream().mapToInt(Integer::intValue).sum();
    }

    int percent(String revision) {
      return total() == 0 ? 0 : Math.round(100f * answers.getOrDefault(revision, 0) / total());
    }

    void narrate(PrintStream out, String canary) {
      out.printf("      %s%n", abbreviate(began, 140));
      out.printf(
          "        at the stable URL meanwhile: %d answers, %d by %s (%d %%) %s%n",
          total(), answers.getOrDefault(canary, 0), canary, percent(canary), answers);
      out.printf("      %s%n", abbreviate(result, 220));
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
