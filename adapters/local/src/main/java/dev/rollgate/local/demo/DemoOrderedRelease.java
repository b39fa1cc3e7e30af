package dev.rollgate.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollgate.local.demo.DemoClient.Reply;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's ordered release of two services ({@code services:}): the app {@code store} releases
 * {@code api} then {@code web} after its one migration; v1 releases both, and v2, whose web is not
 * healthy, goes back on both, web first, then api.
 */
final class DemoOrderedRelease {

  static final String REPO = "localhost:5000/demo/store";

  private final Demo demo;
  private final DemoClient client;
  private final PrintStream out;

  DemoOrderedRelease(Demo demo) {
    this.demo = demo;
    this.client = demo.client();
    this.out = demo.out();
  }

  /** v1 released in order, then v2 rolled back in reverse order. */
  void play() throws IOException, InterruptedException {
    demo.title("store v1 pushed: api then web released in order, after one migration");
    JsonNode v1 = push("v1", "evt-store-1");
    demo.expect(v1, "SUCCEEDED", "store v1 SUCCEEDED: both services released");
    demo.expectEquals(v1.path("schemaVersion").asText(), "1", "the store's one migration ran once");
    List<String> order = parts(v1);
    demo.expectEquals(order, List.of("api", "web"), "the parts in release order");
    List<String> first = timeline(v1.path("id").asText());
    demo.expectEquals(
        before(first, "api: ", "web: "), true, "api was released and verified before web began");
    for (JsonNode p : v1.path("parts")) {
      demo.expectServes(p.path("url").asText(), "v1");
    }

    demo.title("store v2 pushed: its web is not healthy, so the whole release goes back");
    JsonNode v2 = push("v2", "evt-store-2");
    demo.expect(v2, "ROLLED_BACK", "store v2 FAILED and was ROLLED_BACK, both parts");
    List<String> back = timeline(v2.path("id").asText());
    for (String reason : back) {
      if (reason.startsWith("api: ") || reason.startsWith("web: ")) {
        out.println("      " + abbreviate(reason, 150));
      }
    }
    demo.expectEquals(
        restoredOrder(back), List.of("web", "api"), "restored in reverse order: web, then api");
    for (JsonNode p : v2.path("parts")) {
      demo.expectServes(p.path("url").asText(), "v1");
    }
  }

  private JsonNode push(String tag, String id) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Reply r =
        client.post(
            "/imagePushed",
            "{\"repository\":\"%s\",\"tag\":\"%s\",\"digest\":\"%s\",\"id\":\"%s\"}"
                .formatted(REPO, tag, Demo.digest("store-" + tag), id));
    out.printf(
        "      POST /imagePushed -> %d in %.1fs%n", r.status(), (System.nanoTime() - start) / 1e9);
    JsonNode d = demo.only(r.body(), "staging");
    for (JsonNode p : d.path("parts")) {
      out.printf(
          "      %-4s %-12s revision %-12s %s%n",
          p.path("service").asText(),
          p.path("state").asText(),
          p.path("revision").asText("-"),
          p.path("url").asText(""));
    }
    return d;
  }

  private static List<String> parts(JsonNode d) {
    List<String> names = new ArrayList<>();
    for (JsonNode p : d.path("parts")) {
      names.add(p.path("service").asText());
    }
    return names;
  }

  /** The deployment's transition reasons, oldest first. */
  private List<String> timeline(String deployment) throws IOException, InterruptedException {
    List<String> reasons = new ArrayList<>();
    for (JsonNode t : client.get("/status?after=0").body().path("timeline")) {
      if (deployment.equals(t.path("deployment").asText())) {
        reasons.add(t.path("reason").asText());
      }
    }
    return reasons;
  }

  /** True when every reason of {@code a} comes before the first reason of {@code b}. */
  private static boolean before(List<String> reasons, String a, String b) {
    int lastA = -1;
    int firstB = Integer.MAX_VALUE;
    for (int i = 0; i < reasons.size(); i++) {
      if (reasons.get(i).startsWith(a)) {
        lastA = i;
      } else if (reasons.get(i).startsWith(b) && firstB == Integer.MAX_VALUE) {
        firstB = i;
      }
    }
    return lastA >= 0 && lastA < firstB;
  }

  /** The services whose restore the timeline records, in the order it does. */
  private static List<String> restoredOrder(List<String> reasons) {
    List<String> order = new ArrayList<>();
    for (String r : reasons) {
      int colon = r.indexOf(": ");
      // A part's own transitions start with its name; the release's outcome does not.
      if (colon > 0 && r.contains("restored") && !r.startsWith("release ")) {
        String service = r.substring(0, colon);
        if (!order.contains(service)) {
          order.add(service);
        }
      }
    }
    return order;
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
