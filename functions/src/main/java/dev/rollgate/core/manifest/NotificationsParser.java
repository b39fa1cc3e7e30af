package dev.rollgate.core.manifest;

import dev.rollgate.core.manifest.NotificationsSpec.Channel;
import dev.rollgate.core.manifest.NotificationsSpec.ChannelType;
import dev.rollgate.core.manifest.NotificationsSpec.Route;
import dev.rollgate.core.notify.NotificationEvent;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Reads the manifest's {@code notifications:} section. */
final class NotificationsParser extends YamlReader {

  NotificationsParser(List<String> problems) {
    super(problems);
  }

  NotificationsSpec notifications(Object node, List<AppSpec> apps) {
    if (node == null) {
      return NotificationsSpec.NONE;
    }
    Map<String, Object> map = map(node, "notifications");
    if (map == null) {
      return NotificationsSpec.NONE;
    }
    known(map, "notifications", "statusPage", "channels", "routes");
    String statusPage = string(map.get("statusPage"), "notifications.statusPage", false);
    if (statusPage != null && !absoluteHttp(statusPage)) {
      problem(
          "notifications.statusPage",
          "not an absolute http(s) URL: '" + statusPage + "' (e.g. https://rollgate.example.com)");
    }
    Map<String, Channel> channels = channels(map.get("channels"));
    List<Route> routes = new ArrayList<>();
    Object routesNode = map.get("routes");
    if (routesNode != null && !(routesNode instanceof List<?>)) {
      problem("notifications.routes", "expected a list of routes");
    } else if (routesNode instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        Route r = route(list.get(i), "notifications.routes[" + i + "]", channels, apps);
        if (r != null) {
          routes.add(r);
        }
      }
    }
    if (!channels.isEmpty() && routes.isEmpty()) {
      problem(
          "notifications.routes",
          "missing: say which events go to which channel, e.g. - channel: "
              + channels.keySet().iterator().next());
    }
    return new NotificationsSpec(
        statusPage == null ? null : statusPage.replaceAll("/+$", ""), channels, routes);
  }

  private Map<String, Channel> channels(Object node) {
    Map<String, Channel> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    Map<String, Object> map = map(node, "notifications.channels");
    if (map == null) {
      return out;
    }
    for (Map.Entry<String, Object> e : map.entrySet()) {
      String path = "notifications.channels." + e.getKey();
      if (!NAME.matcher(e.getKey()).matches()) {
        problem(path, "channel names are lower-case letters, digits and '-': '" + e.getKey() + "'");
      }
      Map<String, Object> c = map(e.getValue(), path);
      if (c == null) {
        continue;
      }
      known(c, path, "type", "url", "secret");
      String typeText = string(c.get("type"), path + ".type", true);
      ChannelType type = null;
      if (typeText != null) {
        try {
          type = ChannelType.valueOf(typeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
          problem(
              path + ".type",
              "unknown channel type '" + typeText + "'; expected slack, discord, teams or webhook");
        }
      }
      SecretRef url = urlRef(c.get("url"), path + ".url");
      SecretRef secret = null;
      if (type == ChannelType.WEBHOOK) {
        secret = secret(c.get("secret"), path + ".secret", true);
      } else if (c.get("secret") != null) {
        problem(path + ".secret", "only webhook channels are signed; remove it");
      }
      if (type != null && url != null) {
        out.put(e.getKey(), new Channel(e.getKey(), type, url, secret));
      }
    }
    return out;
  }

  /** A webhook URL is a credential (Slack's and Discord's carry a token): only a reference. */
  private SecretRef urlRef(Object node, String path) {
    if (node instanceof String s && (s.startsWith("http://") || s.startsWith("https://"))) {
      problem(
          path,
          "a webhook URL carries its credential: keep it out of rollgate.yaml and name it, e.g."
              + " env:SLACK_WEBHOOK_URL");
      return null;
    }
    return secret(node, path, true);
  }

  private Route route(Object node, String path, Map<String, Channel> channels, List<AppSpec> apps) {
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "channel", "apps", "environments", "events");
    String channel = string(map.get("channel"), path + ".channel", true);
    if (channel != null && !channels.containsKey(channel)) {
      problem(
          path + ".channel",
          "no channel '" + channel + "' under notifications.channels; have " + channels.keySet());
    }
    Set<String> appNames = new LinkedHashSet<>();
    apps.forEach(a -> appNames.add(a.name()));
    Set<String> envNames = new LinkedHashSet<>();
    apps.forEach(a -> a.environments().forEach(e -> envNames.add(e.name())));
    Set<String> routeApps = names(map.get("apps"), path + ".apps", appNames, "app");
    Set<String> routeEnvs =
        names(map.get("environments"), path + ".environments", envNames, "environment");
    Set<NotificationEvent> events = new LinkedHashSet<>();
    for (String key : strings(map.get("events"), path + ".events")) {
      NotificationEvent.of(key)
          .ifPresentOrElse(
              events::add,
              () ->
                  problem(
                      path + ".events",
                      "unknown event '"
                          + key
                          + "'; expected "
                          + Arrays.stream(NotificationEvent.values())
                              .map(NotificationEvent::key)
                              .toList()));
    }
    return channel == null ? null : new Route(channel, routeApps, routeEnvs, events);
  }

  private Set<String> names(Object node, String path, Set<String> known, String what) {
    Set<String> out = new LinkedHashSet<>(strings(node, path));
    for (String n : out) {
      if (!known.contains(n)) {
        problem(path, "no " + what + " named '" + n + "' in this manifest");
      }
    }
    return out;
  }

  private List<String> strings(Object node, String path) {
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof List<?> list)) {
      problem(path, "expected a list, e.g. [a, b]; leave it out for all");
      return List.of();
    }
    Function<Object, String> text = o -> o instanceof String s ? s : null;
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String s = text.apply(list.get(i));
      if (s == null) {
        problem(path + "[" + i + "]", "expected a string");
      } else {
        out.add(s);
      }
    }
    return out;
  }

  private static boolean absoluteHttp(String s) {
    try {
      URI u = URI.create(s);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
