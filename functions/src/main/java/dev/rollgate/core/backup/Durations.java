package dev.rollgate.core.backup;

import java.time.Duration;

/** Short texts for durations and sizes in reports. */
final class Durations {

  private Durations() {}

  static String text(Duration d) {
    if (d == null) {
      return "?";
    }
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return String.format("%.1fs", ms / 1000.0);
    }
    long minutes = d.toMinutes();
    if (minutes < 120) {
      return minutes + "m";
    }
    long hours = d.toHours();
    return hours < 48
        ? hours + "h" + (minutes % 60 == 0 ? "" : minutes % 60 + "m")
        : d.toDays() + "d";
  }

  static String bytes(long n) {
    if (n < 1024 * 1024) {
      return String.format("%.1f kB", n / 1024.0);
    }
    return String.format("%.1f MB", n / (1024.0 * 1024));
  }
}
