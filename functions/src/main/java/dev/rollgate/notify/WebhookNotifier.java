package dev.rollgate.notify;

import dev.rollgate.core.notify.Notification;
import dev.rollgate.events.auth.SenderVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * A generic JSON webhook signed as rollgate verifies its own "hmac" senders: {@code
 * X-Rollgate-Timestamp} (epoch seconds) and {@code X-Rollgate-Signature} = {@code sha256=} hex of
 * HMAC-SHA256(secret, timestamp + "." + body). The body's {@code id} and the {@code
 * Idempotency-Key} header are the same on every attempt, so a receiver can drop repeats.
 */
final class WebhookNotifier implements ChannelNotifier {

  @Override
  public byte[] body(Notification n) {
    return NotificationJson.write(n).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Map<String, String> headers(Notification n, byte[] body, String secret, Instant now) {
    long seconds = now.getEpochSecond();
    return Map.of(
        SenderVerifier.TIMESTAMP,
        Long.toString(seconds),
        SenderVerifier.SIGNATURE,
        SenderVerifier.hmacSignature(secret, seconds, body));
  }
}
