package dev.rollgate.events.auth;

/**
 * Whether a delivery really comes from the sender it claims.
 *
 * @param ok true when it does
 * @param reason one line for the log and the 401 answer; never contains a secret
 * @param replayKey what identifies this delivery among redeliveries: a digest of what the check
 *     vouches for, so that a replay is recognised whatever the parts outside the check say (a new
 *     {@code X-GitHub-Delivery}). GitHub: {@code sha256:} of the signed body; HMAC: the signature,
 *     which covers timestamp and body; senders that sign nothing (a token, an auth header): {@code
 *     sha256:} of the body that came with it. Null when the delivery was refused.
 */
public record Verification(boolean ok, String reason, String replayKey) {

  static Verification accepted(String reason, String replayKey) {
    return new Verification(true, reason, replayKey);
  }

  static Verification refused(String reason) {
    return new Verification(false, reason, null);
  }
}
