package dev.rollgate.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.notify.Notification;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Slack incoming webhooks with Block Kit: a header, a section with the reason and up to ten fields,
 * and a button to the status page; {@code text} is the fallback for notifications.
 */
final class SlackNotifier implements ChannelNotifier {

  @Override
  public byte[] body(Notification n) {
    ObjectNode root = NotificationJson.MAPPER.createObjectNode();
    root.put("text", ChannelNotifier.cut(n.title(), 3000));
    ArrayNode blocks = root.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    plain(header.putObject("text"), ChannelNotifier.cut(n.title(), 150));
    ObjectNode section = blocks.addObject().put("type", "section");
    mrkdwn(
        section.putObject("text"),
        ChannelNotifier.cut(n.reason() == null ? n.title() : escape(n.reason()), 3000));
    ArrayNode fields = section.putArray("fields");
    for (Map.Entry<String, String> f : ChannelNotifier.facts(n).entrySet()) {
      mrkdwn(
          fields.addObject(),
          ChannelNotifier.cut("*" + f.getKey() + "*\n" + escape(f.getValue()), 2000));
    }
    if (n.statusUrl() != null) {
      ObjectNode actions = blocks.addObject().put("type", "actions");
      ObjectNode button = actions.putArray("elements").addObject().put("type", "button");
      plain(button.putObject("text"), "Status page");
      button.put("url", n.statusUrl());
    }
    ObjectNode context = blocks.addObject().put("type", "context");
    mrkdwn(
        context.putArray("elements").addObject(), "rollgate · " + n.event().key() + " · " + n.at());
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void plain(ObjectNode o, String text) {
    o.put("type", "plain_text").put("text", text);
  }

  private static void mrkdwn(ObjectNode o, String text) {
    o.put("type", "mrkdwn").put("text", text);
  }

  /** Slack's three control characters in mrkdwn. */
  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
