package dev.rollgate.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.core.notify.NotificationEvent;
import dev.rollgate.testing.EngineHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NotificationsManifestTest {

  private static Manifest parse(String notifications) {
    return ManifestLoader.parse(
        EngineHarness.manifest(1) + notifications, "rollgate.yaml", Path.of("/tmp"));
  }

  @Test
  void parse_shouldReadChannelsAndRoutes_whenTheyAreValid() {
    Manifest m =
        parse(
            """
            notifications:
              statusPage: https://rollgate.example.com/
              channels:
                team: { type: slack, url: env:SLACK_URL }
                peer: { type: webhook, url: env:PEER_URL, secret: env:PEER_SECRET }
              routes:
                - channel: team
                  environments: [production]
                  events: [deployment.failed, deployment.rolled-back]
                - channel: peer
            """);
    NotificationsSpec n = m.notifications();
    assertEquals("https://rollgate.example.com", n.statusPage());
    assertEquals(
        List.of("team", "peer"),
        n.channelsFor("shop", "production", NotificationEvent.DEPLOYMENT_FAILED));
    assertEquals(
        List.of("peer"), n.channelsFor("shop", "staging", NotificationEvent.DEPLOYMENT_FAILED));
    assertTrue(
        SecretReferences.of(m)
            .keySet()
            .containsAll(
                Set.of(
                    "notifications.channels.team.url",
                    "notifications.channels.peer.url",
                    "notifications.channels.peer.secret")));
  }

  @Test
  void parse_shouldNameEveryProblem_whenChannelsAndRoutesAreWrong() {
    ManifestException e =
        assertThrows(
            ManifestException.class,
            () ->
                parse(
                    """
                    notifications:
                      statusPage: rollgate.example.com
                      channels:
                        team: { type: mattermost, url: env:X }
                        chat: { type: slack, url: "https://hooks.slack.com/services/T/B/SECRET" }
                        peer: { type: webhook, url: env:PEER_URL }
                      routes:
                        - channel: nobody
                          apps: [shopp]
                          events: [deployment.exploded]
                    """));
    String text = String.join("\n", e.problems());
    for (String expected :
        List.of(
            "notifications.statusPage: not an absolute http(s) URL",
            "notifications.channels.team.type: unknown channel type 'mattermost'",
            "notifications.channels.chat.url: a webhook URL carries its credential",
            "notifications.channels.peer.secret: missing",
            "notifications.routes[0].channel: no channel 'nobody'",
            "notifications.routes[0].apps: no app named 'shopp'",
            "notifications.routes[0].events: unknown event 'deployment.exploded'")) {
      assertTrue(text.contains(expected), expected + " not in:\n" + text);
    }
    assertTrue(!text.contains("SECRET"), text);
  }
}
