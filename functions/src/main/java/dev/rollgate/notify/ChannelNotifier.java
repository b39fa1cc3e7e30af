package dev.rollgate.notify;

import dev.rollgate.core.notify.Notification;
import java.time.Instant;
import java.util.Map;

/** Turns a notification into one service's request body and headers. */
interface ChannelNotifier {

  /** The request body, UTF-8 JSON in the service's documented format. */
  byte[] body(Notification n);

  /**
   * Headers beyond {@code Content-Type}; {@code secret} is the channel's signing secret, or null.
   */
  default Map<String, String> headers(Notification n, byte[] body, String secret, Instant now) {
    return Map.of();
  }

  /** Cuts text to a service's field limit, saying that it did. */
  static String cut(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    return s.substring(0, max - 1) + "…";
  }

  /** The facts every service shows, in order, without empty ones. */
  static Map<String, String> facts(Notification n) {
    Map<String, String> f = new java.util.LinkedHashMap<>();
    f.put("App", n.app());
    f.put("Environment", n.environment());
    if (n.version() != null) {
      f.put("Version", n.version());
    }
    if (n.tookText() != null) {
      f.put("Took", n.tookText());
    }
    if (n.deploymentId() != null) {
      f.put("Deployment", n.deploymentId());
    }
    return f;
  }
}
