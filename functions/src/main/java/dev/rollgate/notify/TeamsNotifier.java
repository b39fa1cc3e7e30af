package dev.rollgate.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.notify.Notification;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Microsoft Teams through a Workflows webhook ("Post to a channel when a webhook request is
 * received"): a message whose one attachment is an Adaptive Card 1.4 (a title, the reason, a fact
 * set and an Action.OpenUrl to the status page).
 */
final class TeamsNotifier implements ChannelNotifier {

  @Override
  public byte[] body(Notification n) {
    ObjectNode root = NotificationJson.MAPPER.createObjectNode();
    root.put("type", "message");
    ObjectNode attachment = root.putArray("attachments").addObject();
    attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
    attachment.putNull("contentUrl");
    ObjectNode card = attachment.putObject("content");
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    card.put("type", "AdaptiveCard");
    card.put("version", "1.4");
    ArrayNode body = card.putArray("body");
    body.addObject()
        .put("type", "TextBlock")
        .put("text", n.title())
        .put("weight", "Bolder")
        .put("size", "Medium")
        .put("color", n.event().bad() ? "Attention" : "Good")
        .put("wrap", true);
    if (n.reason() != null) {
      body.addObject().put("type", "TextBlock").put("text", n.reason()).put("wrap", true);
    }
    ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
    for (Map.Entry<String, String> f : ChannelNotifier.facts(n).entrySet()) {
      facts.addObject().put("title", f.getKey()).put("value", f.getValue());
    }
    if (n.statusUrl() != null) {
      card.putArray("actions")
          .addObject()
          .put("type", "Action.OpenUrl")
          .put("title", "Status page")
          .put("url", n.statusUrl());
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
