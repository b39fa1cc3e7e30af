package dev.rollgate.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Prints the ledger's timeline and what serves where, from the status function's answer. */
final class DemoReport {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private DemoReport() {}

  static void print(PrintStream out, JsonNode status) {
    out.println();
    out.println("Timeline (from the ledger's transition log)");
    String row = "  %-12s  %-5s  %-11s  %-15s  %s%n";
    out.printf(row, "time", "app", "environment", "phase", "detail");
    for (JsonNode t : status.path("timeline")) {
      out.printf(
          row,
          TIME.format(Instant.parse(t.path("at").asText())),
          t.path("app").asText(),
          t.path("environment").asText(),
          t.path("to").asText(),
          abbreviate(t.path("reason").asText(""), 100));
    }
    out.println();
    out.println("What serves where");
    String table = "  %-5s  %-11s  %-5s  %-12s  %-7s  %-18s  %s%n";
    out.printf(table, "app", "environment", "tag", "digest", "schema", "revision", "url");
    for (JsonNode e : status.path("environments")) {
      JsonNode s = e.path("serving");
      if (s.isMissingNode() || s.isNull()) {
        out.printf(
            table, e.path("app").asText(), e.path("environment").asText(), "-", "-", "-", "-", "-");
        continue;
      }
      out.printf(
          table,
          e.path("app").asText(),
          e.path("environment").asText(),
          s.path("tag").asText("-"),
          abbreviate(s.path("digest").asText("-"), 12),
          s.path("schemaVersion").asText("-"),
          s.path("revision").asText("-"),
          s.path("url").asText("-"));
    }
    backups(out, status);
  }

  private static void backups(PrintStream out, JsonNode status) {
    if (!status.path("backups").isArray() || status.path("backups").isEmpty()) {
      return;
    }
    out.println();
    out.println("Backups");
    for (JsonNode b : status.path("backups")) {
      out.println("  " + b.path("summary").asText());
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
