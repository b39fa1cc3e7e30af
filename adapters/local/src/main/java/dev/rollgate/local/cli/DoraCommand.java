package dev.rollgate.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code scripts/rollgate dora [--app A] [--env E] [--since 30d] [--json]}: the DORA figures of the
 * host's status, one row per app and environment, or the same as a JSON array.
 */
public final class DoraCommand {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROW = "%-12s %-12s %7s %8s %8s %10s %8s %10s  %s%n";

  private DoraCommand() {}

  /** The path and query to ask the host for. */
  static String path(Map<String, String> options) {
    String since = options.getOrDefault("since", "30d");
    return "/status?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8);
  }

  /**
   * The table {@code scripts/rollgate dora} prints, of every environment in {@code status} (the
   * demo ends with it).
   */
  public static void table(JsonNode status, PrintStream out) throws java.io.IOException {
    print(status, Map.of(), out, out);
  }

  /** Prints the figures of {@code status}; 0, or 2 when the filters match nothing. */
  static int print(JsonNode status, Map<String, String> options, PrintStream out, PrintStream err)
      throws java.io.IOException {
    String app = options.get("app");
    String env = options.get("env");
    List<ObjectNode> rows = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (JsonNode e : status.path("environments")) {
      String a = e.path("app").asText();
      String n = e.path("environment").asText();
      known.add(a + "/" + n);
      if ((app == null || app.equals(a)) && (env == null || env.equals(n))) {
        ObjectNode row = JSON.createObjectNode().put("app", a).put("environment", n);
        row.setAll((ObjectNode) e.path("dora"));
        rows.add(row);
      }
    }
    if (rows.isEmpty()) {
      err.println(
          "rollgate dora: no environment matches"
              + (app == null ? "" : " --app " + app)
              + (env == null ? "" : " --env " + env)
              + "; the host has "
              + (known.isEmpty() ? "none" : String.join(", ", known)));
      return 2;
    }
    if (options.containsKey("json")) {
      ArrayNode array = JSON.createArrayNode();
      rows.forEach(array::add);
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array));
      return 0;
    }
    JsonNode first = rows.get(0);
    out.println(
        "DORA over "
            + first.path("since").asText()
            + " .. "
            + first.path("until").asText()
            + " (medians; lead time from the push's receipt)");
    out.printf(
        ROW,
        "APP",
        "ENV",
        "DEPLOYS",
        "PER DAY",
        "FAILED",
        "LEAD TIME",
        "RESTORES",
        "RESTORE",
        "FAILING SINCE");
    for (JsonNode r : rows) {
      out.printf(
          ROW,
          r.path("app").asText(),
          r.path("environment").asText(),
          r.path("deployments").asInt(),
          number(r.path("deploymentsPerDay").asDouble()),
          r.path("changeFailureRate").isNull()
              ? "-"
              : number(r.path("changeFailureRate").asDouble() * 100) + "%",
          duration(r.path("leadTimeMedianSeconds")),
          r.path("restores").asInt(),
          duration(r.path("timeToRestoreMedianSeconds")),
          r.path("failingSince").isNull() ? "-" : r.path("failingSince").asText());
      if (r.hasNonNull("leadTimeFromCommitMedianSeconds")) {
        out.println(
            "  lead time from the commit ("
                + r.path("app").asText()
                + "/"
                + r.path("environment").asText()
                + "): "
                + duration(r.path("leadTimeFromCommitMedianSeconds"))
                + " (median, over the pushes that said when their commit was made)");
      }
      for (JsonNode miss : r.path("targets").path("missed")) {
        out.println(
            "  target missed ("
                + r.path("app").asText()
                + "/"
                + r.path("environment").asText()
                + "): "
                + miss.path("message").asText());
      }
    }
    return 0;
  }

  /** 2s, 5m3s, 1h0m4s, 0.25s; "-" for none. */
  static String duration(JsonNode seconds) {
    if (seconds.isNull() || seconds.isMissingNode()) {
      return "-";
    }
    double s = seconds.asDouble();
    if (s < 60) {
      return number(s) + "s";
    }
    long whole = Math.round(s);
    long d = whole / 86400;
    long h = whole % 86400 / 3600;
    long m = whole % 3600 / 60;
    long rest = whole % 60;
    return (d > 0 ? d + "d" : "")
        + (d > 0 || h > 0 ? h + "h" : "")
        + m
        + "m"
        + (rest > 0 ? rest + "s" : "");
  }

  static String number(double n) {
    String s = String.format(Locale.ROOT, "%.2f", n);
    return s.replaceAll("\\.?0+$", "");
  }
}
