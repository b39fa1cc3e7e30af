package dev.rollgate.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.notify.Notification;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Discord webhooks with one embed (title, description, colour, fields, timestamp, link to the
 * status page); mentions are switched off so that a reason cannot ping anyone.
 */
final class DiscordNotifier implements ChannelNotifier {

  private static final int GREEN = 0x2EB67D;
  private static final int RED = 0xE01E5A;
  private static final int BLUE = 0x36C5F0;

  @Override
  public byte[] body(Notification n) {
    ObjectNode root = NotificationJson.MAPPER.createObjectNode();
    root.putObject("allowed_mentions").putArray("parse");
    ObjectNode embed = root.putArray("embeds").addObject();
    embed.put("title", ChannelNotifier.cut(n.title(), 256));
    if (n.reason() != null) {
      embed.put("description", ChannelNotifier.cut(n.reason(), 4096));
    }
    if (n.statusUrl() != null) {
      embed.put("url", n.statusUrl());
    }
    embed.put("color", n.event().bad() ? RED : n.event().key().endsWith("started") ? BLUE : GREEN);
    embed.put("timestamp", n.at().toString());
    ArrayNode fields = embed.putArray("fields");
    for (Map.Entry<String, String> f : ChannelNotifier.facts(n).entrySet()) {
      fields
          .addObject()
          .put("name", f.getKey())
          .put("value", ChannelNotifier.cut(f.getValue(), 1024))
          .put("inline", true);
    }
    embed.putObject("footer").put("text", "rollgate · " + n.event().key());
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
