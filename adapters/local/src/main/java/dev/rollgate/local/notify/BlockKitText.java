package dev.rollgate.local.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Slack message's Block Kit as a few lines of plain text, roughly as Slack shows it: the header,
 * the section's text, its fields on one line ({@code App: shop · Version: v2 @ sha256:...}), the
 * buttons with their links and the context line.
 */
public final class BlockKitText {

  private BlockKitText() {}

  /**
   * The lines of {@code message}, a Slack incoming-webhook body ({@code text} and {@code blocks}).
   */
  public static List<String> lines(JsonNode message) {
    List<String> lines = new ArrayList<>();
    for (JsonNode block : message.path("blocks")) {
      switch (block.path("type").asText()) {
        case "header" -> lines.add(text(block.path("text")));
        case "section" -> {
          if (block.has("text")) {
            lines.add(text(block.path("text")));
          }
          List<String> fields = new ArrayList<>();
          for (JsonNode f : block.path("fields")) {
            fields.add(text(f).replaceFirst("\n", ": "));
          }
          if (!fields.isEmpty()) {
            lines.add(String.join(" · ", fields));
          }
        }
        case "actions" -> {
          for (JsonNode e : block.path("elements")) {
            lines.add("[" + text(e.path("text")) + "] " + e.path("url").asText(""));
          }
        }
        case "context" -> {
          List<String> parts = new ArrayList<>();
          block.path("elements").forEach(e -> parts.add(text(e)));
          lines.add(String.join(" ", parts));
        }
        default -> lines.add("(" + block.path("type").asText() + " block)");
      }
    }
    if (lines.isEmpty()) {
      lines.add(message.path("text").asText(""));
    }
    return lines;
  }

  /** A text object's text: mrkdwn's bold markers dropped and Slack's three escapes undone. */
  private static String text(JsonNode t) {
    String s = t.path("text").asText("");
    if ("mrkdwn".equals(t.path("type").asText())) {
      s = s.replaceAll("\\*([^*\n]+)\\*", "$1");
      s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
    return s;
  }
}
