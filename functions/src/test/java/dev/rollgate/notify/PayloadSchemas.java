package dev.rollgate.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The fields and limits each service documents for what rollgate sends, checked on the JSON a
 * receiver got: Slack's Block Kit (api.slack.com/reference/block-kit/blocks), Discord's execute
 * webhook and embed object (discord.com/developers/docs/resources/webhook,
 * .../channel#embed-object), and Adaptive Cards 1.4 as a Teams Workflows message
 * (adaptivecards.io/explorer).
 */
public final class PayloadSchemas {

  private PayloadSchemas() {}

  public static List<String> slack(JsonNode root) {
    List<String> p = new ArrayList<>();
    textField(p, root, "text", 40000, "$.text");
    JsonNode blocks = root.path("blocks");
    if (!blocks.isArray() || blocks.isEmpty() || blocks.size() > 50) {
      p.add("$.blocks: 1 to 50 blocks");
      return p;
    }
    for (int i = 0; i < blocks.size(); i++) {
      JsonNode b = blocks.get(i);
      String at = "$.blocks[" + i + "]";
      switch (b.path("type").asText()) {
        case "header" -> textObject(p, b.path("text"), Set.of("plain_text"), 150, at + ".text");
        case "section" -> {
          if (b.has("text")) {
            textObject(p, b.path("text"), Set.of("plain_text", "mrkdwn"), 3000, at + ".text");
          }
          JsonNode fields = b.path("fields");
          if (!b.has("text") && !b.has("fields")) {
            p.add(at + ": a section needs text or fields");
          }
          if (b.has("fields") && (!fields.isArray() || fields.size() > 10)) {
            p.add(at + ".fields: at most 10");
          }
          for (int j = 0; j < fields.size(); j++) {
            textObject(
                p, fields.get(j), Set.of("plain_text", "mrkdwn"), 2000, at + ".fields[" + j + "]");
          }
        }
        case "actions" -> {
          JsonNode el = b.path("elements");
          if (!el.isArray() || el.isEmpty() || el.size() > 25) {
            p.add(at + ".elements: 1 to 25");
          }
          for (JsonNode e : el) {
            if (!"button".equals(e.path("type").asText())) {
              p.add(at + ": only buttons expected");
            }
            textObject(p, e.path("text"), Set.of("plain_text"), 75, at + ".elements[].text");
            textField(p, e, "url", 3000, at + ".elements[].url");
          }
        }
        case "context" -> {
          JsonNode el = b.path("elements");
          if (!el.isArray() || el.isEmpty() || el.size() > 10) {
            p.add(at + ".elements: 1 to 10");
          }
          for (JsonNode e : el) {
            textObject(p, e, Set.of("plain_text", "mrkdwn"), 3000, at + ".elements[]");
          }
        }
        default -> p.add(at + ".type: unexpected '" + b.path("type").asText() + "'");
      }
    }
    return p;
  }

  public static List<String> discord(JsonNode root) {
    List<String> p = new ArrayList<>();
    JsonNode embeds = root.path("embeds");
    if (!root.has("content") && (!embeds.isArray() || embeds.isEmpty())) {
      p.add("$: one of content or embeds is required");
    }
    if (embeds.size() > 10) {
      p.add("$.embeds: at most 10");
    }
    int total = 0;
    for (JsonNode e : embeds) {
      total += len(e, "title") + len(e, "description") + len(e.path("footer"), "text");
      max(p, e, "title", 256, "$.embeds[].title");
      max(p, e, "description", 4096, "$.embeds[].description");
      if (e.has("color") && !e.get("color").isInt()) {
        p.add("$.embeds[].color: an integer");
      }
      if (e.has("timestamp")) {
        try {
          java.time.Instant.parse(e.get("timestamp").asText());
        } catch (RuntimeException x) {
          p.add("$.embeds[].timestamp: ISO8601");
        }
      }
      JsonNode fields = e.path("fields");
      if (fields.size() > 25) {
        p.add("$.embeds[].fields: at most 25");
      }
      for (JsonNode f : fields) {
        if (!f.path("name").isTextual() || !f.path("value").isTextual()) {
          p.add("$.embeds[].fields[]: name and value are required strings");
        }
        max(p, f, "name", 256, "$.embeds[].fields[].name");
        max(p, f, "value", 1024, "$.embeds[].fields[].value");
        total += len(f, "name") + len(f, "value");
      }
      max(p, e.path("footer"), "text", 2048, "$.embeds[].footer.text");
    }
    if (total > 6000) {
      p.add("$.embeds: more than 6000 characters in all");
    }
    return p;
  }

  public static List<String> adaptiveCard14(JsonNode root) {
    List<String> p = new ArrayList<>();
    if (!"message".equals(root.path("type").asText())) {
      p.add("$.type: 'message'");
    }
    JsonNode att = root.path("attachments");
    if (!att.isArray() || att.size() != 1) {
      p.add("$.attachments: one attachment");
      return p;
    }
    JsonNode a = att.get(0);
    if (!"application/vnd.microsoft.card.adaptive".equals(a.path("contentType").asText())) {
      p.add("$.attachments[0].contentType");
    }
    JsonNode card = a.path("content");
    if (!"AdaptiveCard".equals(card.path("type").asText())) {
      p.add("content.type: AdaptiveCard");
    }
    String version = card.path("version").asText();
    if (!version.matches("1\\.[4-9]")) {
      p.add("content.version: 1.4 or later, got '" + version + "'");
    }
    for (JsonNode el : card.path("body")) {
      switch (el.path("type").asText()) {
        case "TextBlock" -> {
          if (!el.path("text").isTextual()) {
            p.add("TextBlock.text is required");
          }
          oneOf(p, el, "weight", Set.of("Default", "Lighter", "Bolder"));
          oneOf(p, el, "size", Set.of("Default", "Small", "Medium", "Large", "ExtraLarge"));
          oneOf(
              p,
              el,
              "color",
              Set.of("Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"));
        }
        case "FactSet" -> {
          if (!el.path("facts").isArray()) {
            p.add("FactSet.facts is required");
          }
          for (JsonNode f : el.path("facts")) {
            if (!f.path("title").isTextual() || !f.path("value").isTextual()) {
              p.add("Fact: title and value are required strings");
            }
          }
        }
        default -> p.add("content.body[]: unexpected " + el.path("type").asText());
      }
    }
    for (JsonNode action : card.path("actions")) {
      if (!"Action.OpenUrl".equals(action.path("type").asText())
          || !action.path("url").isTextual()) {
        p.add("actions[]: Action.OpenUrl with a url");
      }
    }
    return p;
  }

  private static void oneOf(List<String> p, JsonNode n, String field, Set<String> allowed) {
    if (n.has(field) && !allowed.contains(n.get(field).asText())) {
      p.add(field + ": one of " + allowed);
    }
  }

  private static void textObject(
      List<String> p, JsonNode t, Set<String> types, int max, String at) {
    if (!types.contains(t.path("type").asText())) {
      p.add(at + ".type: one of " + types);
    }
    String s = t.path("text").asText("");
    if (s.isEmpty() || s.length() > max) {
      p.add(at + ".text: 1 to " + max + " characters");
    }
  }

  private static void textField(List<String> p, JsonNode n, String field, int max, String at) {
    String s = n.path(field).asText("");
    if (s.isEmpty() || s.length() > max) {
      p.add(at + ": 1 to " + max + " characters");
    }
  }

  private static void max(List<String> p, JsonNode n, String field, int max, String at) {
    if (len(n, field) > max) {
      p.add(at + ": at most " + max);
    }
  }

  private static int len(JsonNode n, String field) {
    return n.path(field).asText("").length();
  }
}
