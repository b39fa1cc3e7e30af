package dev.rollgate.core.engine;

/** The words of the known-bad rule, shared by every place that applies it. */
final class KnownBad {

  private KnownBad() {}

  static String reason(String digest, String environment) {
    return "known-bad: "
        + digest.substring(0, Math.min(digest.length(), 19))
        + " failed in "
        + environment
        + " before; only a promotion with an explicit override deploys it there again";
  }
}
