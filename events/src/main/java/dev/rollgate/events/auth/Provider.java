package dev.rollgate.events.auth;

import java.util.Locale;

/** Who a webhook endpoint expects, and so how it checks that the sender is who it says. */
public enum Provider {
  /** GitHub: {@code X-Hub-Signature-256}, an HMAC-SHA256 of the body with the hook's secret. */
  GITHUB,
  /** Harbor: the webhook's "Auth Header" arrives verbatim as {@code Authorization}. */
  HARBOR,
  /** Docker Hub signs nothing: a secret token in the endpoint's URL ({@code ?token=}). */
  DOCKERHUB,
  /** Quay signs nothing: a secret token in the endpoint's URL ({@code ?token=}). */
  QUAY,
  /**
   * Any sender that signs nothing but can call a secret URL (Event Grid and ACR webhooks): the
   * token in {@code ?token=} or {@code X-Rollgate-Token}.
   */
  TOKEN,
  /**
   * Any other sender: {@code X-Rollgate-Timestamp} (epoch seconds) and {@code X-Rollgate-Signature:
   * sha256=<hex HMAC-SHA256 of timestamp + "." + body>}, five minutes' leeway.
   */
  HMAC;

  /** The provider named {@code name} ({@code github}, {@code docker-hub}, {@code hmac}, ...). */
  public static Provider parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace("-", "");
    switch (n) {
      case "github":
        return GITHUB;
      case "harbor":
        return HARBOR;
      case "dockerhub":
      case "docker":
        return DOCKERHUB;
      case "quay":
        return QUAY;
      case "token":
      case "eventgrid":
      case "acr":
        return TOKEN;
      case "hmac":
      case "generic":
      case "rollgate":
        return HMAC;
      default:
        throw new IllegalArgumentException(
            "unknown provider '"
                + name
                + "': expected github, harbor, dockerhub, quay, token (Event Grid, ACR) or hmac"
                + " (any other sender)");
    }
  }

  /** The name {@link #parse} reads back, in lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
