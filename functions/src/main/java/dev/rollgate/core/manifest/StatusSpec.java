package dev.rollgate.core.manifest;

/**
 * Who may read the status page on a cloud entry ({@code status:} in rollgate.yaml).
 *
 * @param readToken reference to the secret a browser's or a client's request for the page must
 *     present (or sign a link with); null: the page is off on the cloud entries (the local host
 *     serves it on 127.0.0.1 without one)
 */
public record StatusSpec(SecretRef readToken) {

  /** No {@code status:} section: no read token, so no page on the cloud entries. */
  public static final StatusSpec NONE = new StatusSpec(null);
}
