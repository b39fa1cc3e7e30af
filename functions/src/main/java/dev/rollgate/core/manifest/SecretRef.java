package dev.rollgate.core.manifest;

import java.util.Objects;

/**
 * A reference to a secret, {@code scheme:name} (e.g. {@code env:ROLLGATE_PROMOTE_TOKEN}); never the
 * secret itself, so it is safe to print.
 */
public record SecretRef(String scheme, String name) {

  public SecretRef {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(name, "name");
  }

  /** Parses {@code scheme:name}; returns null when the text has no scheme. */
  public static SecretRef parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      return null;
    }
    return new SecretRef(text.substring(0, colon), text.substring(colon + 1));
  }

  @Override
  public String toString() {
    return scheme + ":" + name;
  }
}
