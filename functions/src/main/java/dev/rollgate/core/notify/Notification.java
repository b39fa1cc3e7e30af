package dev.rollgate.core.notify;

import java.time.Duration;
import java.time.Instant;

/**
 * One message, in no service's format yet: what happened, where, to which version, how long it
 * took, why it failed, and where to look. Built from the ledger alone, so it never holds a secret.
 *
 * @param id stable across retries: the idempotency key receivers dedupe on
 * @param tag the image tag, or null
 * @param digest the image digest ({@code sha256:...}), or null
 * @param took how long the deployment has run since it was recorded, or null
 * @param reason the ledger's own reason for this transition (why it failed), or null
 * @param statusUrl the status page's URL, or null when the manifest names none
 */
public record Notification(
    String id,
    NotificationEvent event,
    String app,
    String environment,
    String deploymentId,
    String image,
    String tag,
    String digest,
    Duration took,
    String reason,
    String statusUrl,
    Instant at) {

  /** {@code sha256:0123456789ab}: enough to tell digests apart in a chat. */
  public String shortDigest() {
    if (digest == null) {
      return null;
    }
    int colon = digest.indexOf(':');
    return digest.substring(0, Math.min(digest.length(), colon + 1 + 12));
  }

  /** {@code tag @ sha256:0123456789ab}, or what there is of it. */
  public String version() {
    if (tag == null && digest == null) {
      return null;
    }
    if (tag == null) {
      return shortDigest();
    }
    return digest == null ? tag : tag + " @ " + shortDigest();
  }

  /** One line for a person: {@code shop/production: deployment failed (v1.2 @ sha256:...)}. */
  public String title() {
    String what = event.key().replace('.', ' ').replace('-', ' ');
    String v = version();
    return app + "/" + environment + ": " + what + (v == null ? "" : " (" + v + ")");
  }

  /** {@code 2m 5s}, or null. */
  public String tookText() {
    if (took == null) {
      return null;
    }
    long s = Math.max(0, took.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m " + s % 60 + "s";
    }
    return s / 3600 + "h " + s % 3600 / 60 + "m";
  }
}
