package dev.rollgate.core.manifest;

import dev.rollgate.core.notify.NotificationEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The manifest's {@code notifications:}: where messages go (channels, each with its webhook URL as
 * a secret reference), which events of which apps and environments go to which channel, and the
 * status page's base URL that messages link to.
 *
 * @param statusPage the base URL of the status page, e.g. {@code https://rollgate.example.com};
 *     null when unset (messages then carry no link)
 */
public record NotificationsSpec(
    String statusPage, Map<String, Channel> channels, List<Route> routes) {

  /** No notifications configured. */
  public static final NotificationsSpec NONE = new NotificationsSpec(null, Map.of(), List.of());

  /** The services rollgate can post to. */
  public enum ChannelType {
    SLACK,
    DISCORD,
    TEAMS,
    WEBHOOK
  }

  /**
   * One destination.
   *
   * @param url the webhook URL's secret reference (Slack, Discord and Teams URLs carry their
   *     credential in the path)
   * @param secret the HMAC secret's reference, for {@link ChannelType#WEBHOOK} only
   */
  public record Channel(String name, ChannelType type, SecretRef url, SecretRef secret) {}

  /**
   * Sends {@code events} of {@code apps} in {@code environments} to {@code channel}; an empty set
   * means all.
   */
  public record Route(
      String channel, Set<String> apps, Set<String> environments, Set<NotificationEvent> events) {

    public boolean matches(String app, String environment, NotificationEvent event) {
      return (apps.isEmpty() || apps.contains(app))
          && (environments.isEmpty() || environments.contains(environment))
          && (events.isEmpty() || events.contains(event));
    }
  }

  public NotificationsSpec {
    channels = Map.copyOf(channels);
    routes = List.copyOf(routes);
  }

  public Optional<Channel> channel(String name) {
    return Optional.ofNullable(channels.get(name));
  }

  /** The channels an event of this app and environment goes to, each once, in route order. */
  public List<String> channelsFor(String app, String environment, NotificationEvent event) {
    return routes.stream()
        .filter(r -> r.matches(app, environment, event))
        .map(Route::channel)
        .distinct()
        .toList();
  }
}
