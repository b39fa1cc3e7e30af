package dev.rollgate.events.auth;

/**
 * Whether a delivery really comes from the sender it claims.
 *
 * @param ok true when it does
 * @param reason one line for the log and the 401 answer; never contains a secret
 * @param replayKey what identifies this delivery among redeliveries, when the check itself gives
 *     one ({@code X-GitHub-Delivery}, the HMAC scheme's signature); null otherwise, and then the
 *     decoded triggers' ids are the keys
 */
public record Verification(boolean ok, String reason, String replayKey) {

  static Verification accepted(String reason, String replayKey) {
    return new Verification(true, reason, replayKey);
  }

  static Verification refused(String reason) {
    return new Verification(false, reason, null);
  }
}
