package dev.rollgate.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The {@code status} function's answer as a page people read: what serves where (tag, short digest,
 * revision, since when, schema version), what is in flight and in which phase, the recent
 * deployments with the ledger's own reasons, the DORA figures with a bar of outcomes, backups
 * against their recovery point objective, and whether the ledger's hash chain is intact. Rendered
 * on the server from the status JSON, one self- contained document: no scripts, fonts, stylesheets
 * or images from anywhere, every value escaped; while something is in flight it reloads itself
 * every {@value #REFRESH_SECONDS} seconds.
 */
public final class StatusPage {

  /** How often the page reloads itself while a deployment is in flight. */
  static final int REFRESH_SECONDS = 5;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

  private StatusPage() {}

  /** True when {@code accept} (an HTTP Accept header) asks for HTML before JSON. */
  public static boolean wanted(String accept) {
    if (accept == null) {
      return false;
    }
    int html = accept.indexOf("text/html");
    int json = accept.indexOf("application/json");
    return html >= 0 && (json < 0 || html < json);
  }

  /** The page for {@code status}, the JSON the {@code status} function answers. */
  public static String render(JsonNode status) {
    boolean inFlight = false;
    for (JsonNode e : status.path("environments")) {
      inFlight |= e.path("inFlight").size() > 0;
    }
    StringBuilder h = new StringBuilder(8192);
    h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    if (inFlight) {
      h.append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">");
    }
    h.append("<title>rollgate status</title><style>").append(STYLE).append("</style></head><body>");
    h.append("<header><h1>rollgate</h1>");
    JsonNode ledger = status.path("ledger");
    boolean intact = "intact".equals(ledger.path("chain").asText());
    h.append("<p class=\"ledger ")
        .append(intact ? "ok" : "bad")
        .append("\" id=\"ledger\">ledger: ")
        .append(esc(ledger.path("chain").asText("unknown")))
        .append(" (")
        .append(ledger.path("transitions").asLong())
        .append(" transitions checked)</p>");
    if (inFlight) {
      h.append("<p class=\"note\">a deployment is in flight: this page reloads every ")
          .append(REFRESH_SECONDS)
          .append(" s</p>");
    }
    h.append("</header><main>");
    for (JsonNode e : status.path("environments")) {
      environment(h, e);
    }
    JsonNode backups = status.path("backups");
    if (backups.isArray() && backups.size() > 0) {
      backups(h, backups);
    }
    h.append("</main></body></html>\n");
    return h.toString();
  }

  private static void environment(StringBuilder h, JsonNode e) {
    String id = e.path("app").asText() + "/" + e.path("environment").asText();
    h.append("<section class=\"env\" data-env=\"").append(esc(id)).append("\">");
    h.append("<h2>").append(esc(id)).append("</h2>");
    h.append("<p class=\"target\">")
        .append(esc(e.path("target").asText()))
        .append(" · deploys ")
        .append(esc(e.path("deploy").asText()))
        .append("</p>");
    JsonNode serving = e.path("serving");
    h.append("<div class=\"serving\">");
    if (serving.isObject()) {
      h.append("<p><span class=\"label\">serving</span> <strong class=\"tag\">")
          .append(esc(text(serving, "tag", "(no tag)")))
          .append("</strong> <code class=\"digest\" title=\"")
          .append(esc(text(serving, "digest", "")))
          .append("\">")
          .append(esc(shortDigest(text(serving, "digest", ""))))
          .append("</code></p><p class=\"meta\">revision <code class=\"revision\">")
          .append(esc(text(serving, "revision", "-")))
          .append("</code> · since ")
          .append(esc(when(text(serving, "updatedAt", null))))
          .append(" · schema ")
          .append(esc(text(serving, "schemaVersion", "-")))
          .append("</p>");
    } else {
      h.append("<p><span class=\"label\">serving</span> nothing rollgate deployed yet</p>");
    }
    h.append("</div>");
    JsonNode inFlight = e.path("inFlight");
    if (inFlight.size() > 0) {
      h.append("<div class=\"inflight\"><h3>in flight</h3><ul>");
      for (JsonNode d : inFlight) {
        h.append("<li><span class=\"phase ")
            .append(esc(d.path("phase").asText().toLowerCase(java.util.Locale.ROOT)))
            .append("\">")
            .append(esc(d.path("phase").asText()))
            .append("</span> ")
            .append(esc(text(d, "tag", "")))
            .append(" <code>")
            .append(esc(shortDigest(text(d, "digest", ""))))
            .append("</code> <span class=\"detail\">")
            .append(esc(text(d, "detail", "")))
            .append("</span>");
        if (d.path("canary").isObject()) {
          canary(h, d.path("canary"));
        }
        h.append("</li>");
      }
      h.append("</ul></div>");
    }
    JsonNode dora = e.path("dora");
    if (dora.isObject()) {
      dora(h, dora);
    }
    JsonNode recent = e.path("recent");
    if (recent.size() > 0) {
      h.append("<details open><summary>recent deployments</summary><table class=\"recent\">");
      h.append("<thead><tr><th>when</th><th>version</th><th>phase</th><th>why</th></tr></thead>");
      h.append("<tbody>");
      for (JsonNode d : recent) {
        h.append("<tr><td>")
            .append(esc(when(text(d, "updatedAt", null))))
            .append("</td><td>")
            .append(esc(text(d, "tag", "")))
            .append(" <code>")
            .append(esc(shortDigest(text(d, "digest", ""))))
            .append("</code></td><td><span class=\"phase ")
            .append(esc(d.path("phase").asText().toLowerCase(java.util.Locale.ROOT)))
            .append("\">")
            .append(esc(d.path("phase").asText()))
            .append("</span></td><td class=\"detail\">");
        if (d.hasNonNull("failure")) {
          h.append("<span class=\"failure\">failed: ")
              .append(esc(d.get("failure").asText()))
              .append("</span><br>");
        }
        h.append(esc(text(d, "detail", "")));
        parts(h, d.path("parts"));
        h.append("</td></tr>");
      }
      h.append("</tbody></table></details>");
    }
    h.append("</section>");
  }

  /** A release of several services: one line, each part's service, state and revision. */
  private static void parts(StringBuilder h, JsonNode parts) {
    if (parts.size() == 0) {
      return;
    }
    h.append("<ol class=\"parts\">");
    for (JsonNode p : parts) {
      h.append("<li>")
          .append(esc(text(p, "service", "?")))
          .append(" <span class=\"phase ")
          .append(esc(text(p, "state", "").toLowerCase(java.util.Locale.ROOT)))
          .append("\">")
          .append(esc(text(p, "state", "")))
          .append("</span> <code class=\"revision\">")
          .append(esc(text(p, "revision", "-")))
          .append("</code></li>");
    }
    h.append("</ol>");
  }

  /** The environment's DORA figures (docs/dora.md), a bar of its outcomes, and missed targets. */
  /**
   * A canary's progress: which step of how many, the share of the traffic the new revision holds (a
   * bar), and what the step's analysis has seen so far.
   */
  private static void canary(StringBuilder h, JsonNode c) {
    int share = Math.max(0, Math.min(100, c.path("share").asInt()));
    int probes = c.path("probes").asInt();
    int healthy = probes - c.path("unhealthy").asInt();
    String state = c.path("state").asText().toLowerCase(java.util.Locale.ROOT);
    h.append("<div class=\"canary\"><span class=\"label\">canary</span> step ")
        .append(c.path("step").asInt())
        .append(" of ")
        .append(c.path("steps").asInt())
        .append(" · ")
        .append(esc(state))
        .append(" · <span class=\"share\">")
        .append(share)
        .append(" % of traffic</span> ")
        .append("<svg class=\"bar\" width=\"100\" height=\"8\" role=\"img\" aria-label=\"")
        .append(share)
        .append(" % of traffic to the new revision\"><rect width=\"100\" height=\"8\"")
        .append(" fill=\"#ddd\"/><rect width=\"")
        .append(share)
        .append("\" height=\"8\" fill=\"#2a6\"/></svg>");
    if (probes > 0) {
      h.append(" · ").append(healthy).append('/').append(probes).append(" probes healthy");
      if (c.has("p95Ms")) {
        h.append(", p95 ").append(c.path("p95Ms").asLong()).append(" ms");
      }
    }
    h.append("</div>");
  }

  private static void dora(StringBuilder h, JsonNode d) {
    long ok = d.path("succeeded").asLong();
    long failed = d.path("failed").asLong();
    h.append("<div class=\"dora\"><h3>DORA since ")
        .append(esc(when(text(d, "since", null))))
        .append("</h3><table><tbody>");
    row(
        h,
        "deployments",
        d.path("deployments").asLong() + " (" + number(d, "deploymentsPerDay") + " a day)");
    row(h, "lead time (median)", duration(d.get("leadTimeMedianSeconds")));
    if (d.hasNonNull("leadTimeFromCommitMedianSeconds")) {
      row(h, "from the commit (median)", duration(d.get("leadTimeFromCommitMedianSeconds")));
    }
    JsonNode rate = d.get("changeFailureRate");
    row(
        h,
        "change failure rate",
        rate == null || rate.isNull() ? "-" : Math.round(rate.asDouble() * 1000) / 10.0 + " %");
    row(h, "time to restore (median)", duration(d.get("timeToRestoreMedianSeconds")));
    if (d.hasNonNull("failingSince")) {
      row(h, "failing since", when(d.get("failingSince").asText()));
    }
    h.append("</tbody></table>");
    long all = ok + failed;
    if (all > 0) {
      // A bar of outcomes: succeeded, then failed, to scale.
      long okWidth = Math.round(200.0 * ok / all);
      h.append("<svg class=\"outcomes\" width=\"200\" height=\"10\" role=\"img\" aria-label=\"")
          .append(ok)
          .append(" succeeded, ")
          .append(failed)
          .append(" failed\"><rect width=\"")
          .append(okWidth)
          .append("\" height=\"10\" fill=\"#1a7f37\"/><rect x=\"")
          .append(okWidth)
          .append("\" width=\"")
          .append(200 - okWidth)
          .append("\" height=\"10\" fill=\"#cf222e\"/></svg>");
    }
    for (JsonNode m : d.path("targets").path("missed")) {
      h.append("<p class=\"bad missed\">target missed: ")
          .append(esc(m.path("message").asText(m.path("target").asText())))
          .append("</p>");
    }
    h.append("</div>");
  }

  private static void row(StringBuilder h, String name, String value) {
    h.append("<tr><th>")
        .append(esc(name))
        .append("</th><td>")
        .append(esc(value))
        .append("</td></tr>");
  }

  private static String number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "-" : String.valueOf(Math.round(v.asDouble() * 100) / 100.0);
  }

  /** Seconds as people say them: 42 s, 5 min 3 s, 2 h 10 min, 3 d 4 h. */
  static String duration(JsonNode seconds) {
    if (seconds == null || seconds.isNull()) {
      return "-";
    }
    long s = Math.round(seconds.asDouble());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
    }
    if (s < 86400) {
      return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
    }
    return s / 86400 + " d" + (s % 86400 / 3600 == 0 ? "" : " " + s % 86400 / 3600 + " h");
  }

  private static void backups(StringBuilder h, JsonNode backups) {
    h.append("<section class=\"backups\"><h2>backups</h2><table><thead><tr><th>database</th>");
    h.append("<th>within RPO</th><th>summary</th></tr></thead><tbody>");
    for (JsonNode b : backups) {
      boolean ok = b.path("withinRpo").asBoolean(false);
      h.append("<tr><td>")
          .append(esc(b.path("app").asText() + "/" + b.path("environment").asText()))
          .append("</td><td class=\"")
          .append(ok ? "ok" : "bad")
          .append("\">")
          .append(ok ? "yes" : "no")
          .append("</td><td>")
          .append(esc(b.path("summary").asText("")))
          .append("</td></tr>");
    }
    h.append("</tbody></table></section>");
  }

  private static String text(JsonNode n, String field, String otherwise) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? otherwise : v.asText();
  }

  /** {@code sha256:} and the first 12 hex digits: what people compare at a glance. */
  static String shortDigest(String digest) {
    if (digest == null || digest.isEmpty()) {
      return "";
    }
    int colon = digest.indexOf(':');
    String hex = colon < 0 ? digest : digest.substring(colon + 1);
    return (colon < 0 ? "" : digest.substring(0, colon + 1))
        + (hex.length() > 12 ? hex.substring(0, 12) : hex);
  }

  private static String when(String instant) {
    if (instant == null) {
      return "-";
    }
    try {
      return TIME.format(Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS));
    } catch (DateTimeParseException e) {
      return instant;
    }
  }

  /** HTML-escapes text and attribute values. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static final String STYLE =
      "body{font:15px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1b1f24;"
          + "background:#f6f8fa}header{background:#1b1f24;color:#fff;padding:12px 20px}"
          + "h1{margin:0;font-size:20px}main{padding:12px 20px;display:grid;gap:16px;"
          + "grid-template-columns:repeat(auto-fill,minmax(min(100%,520px),1fr))}"
          + ".env,.backups{background:#fff;border:1px solid #d0d7de;border-radius:8px;"
          + "padding:12px 16px;overflow-x:auto}h2{margin:0 0 4px;font-size:17px}"
          + "h3{font-size:14px;margin:8px 0 4px}.target,.meta,.note{color:#57606a;margin:2px 0}"
          + ".label{color:#57606a;text-transform:uppercase;font-size:12px}"
          + "code{font:13px ui-monospace,monospace}table{border-collapse:collapse;width:100%;"
          + "font-size:13px}td,th{text-align:left;padding:4px 6px;border-top:1px solid #eaeef2;"
          + "vertical-align:top}.detail{word-break:break-word}.phase{font-weight:600}"
          + ".parts{margin:.2em 0 0 1.2em;padding:0;font-size:.9em}"
          + ".succeeded,.ok{color:#1a7f37}.failed,.rolled_back,.bad{color:#cf222e}"
          + ".ledger.ok{color:#8ddb8c}.ledger.bad{color:#ff8182}";
}
