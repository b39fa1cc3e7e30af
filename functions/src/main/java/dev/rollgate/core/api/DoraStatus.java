package dev.rollgate.core.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.manifest.DoraTargets;
import dev.rollgate.core.model.DoraFigures;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code dora} part of {@code status}: the window asked for, and the figures as JSON. */
final class DoraStatus {

  /** The window when {@code ?since=} is not given. */
  static final Duration DEFAULT_WINDOW = DoraTargets.DEFAULT_WINDOW;

  private static final Duration LONGEST_WINDOW = Duration.ofDays(36_500);

  private static final Pattern WINDOW = Pattern.compile("(\\d{1,9})(s|m|h|d)");

  private DoraStatus() {}

  /**
   * {@code ?since=30d}: how far back from now, in seconds, minutes, hours or days.
   *
   * @throws IllegalArgumentException saying what is expected
   */
  static Duration window(String text) {
    if (text == null) {
      return DEFAULT_WINDOW;
    }
    Matcher m = WINDOW.matcher(text.trim());
    long n = m.matches() ? Long.parseLong(m.group(1)) : 0;
    if (n == 0) {
      throw new IllegalArgumentException(
          "?since: expected a duration back from now like 30d, 12h, 90m, got '" + text + "'");
    }
    Duration window =
        switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    if (window.compareTo(LONGEST_WINDOW) > 0) {
      // The ledger's timestamps reach back to 4713 BC; a century is more history than it holds.
      throw new IllegalArgumentException(
          "?since: at most " + LONGEST_WINDOW.toDays() + "d back from now, got '" + text + "'");
    }
    return window;
  }

  static ObjectNode json(DoraFigures f, DoraTargets targets) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("since", f.since().toString());
    n.put("until", f.until().toString());
    n.put("deployments", f.deployments());
    n.put("succeeded", f.succeeded());
    n.put("failed", f.failed());
    n.put("deploymentsPerDay", round(f.deploymentsPerDay()));
    Double rate = f.changeFailureRate();
    if (rate == null) {
      n.putNull("changeFailureRate");
    } else {
      n.put("changeFailureRate", round(rate));
    }
    seconds(n, "leadTimeMedianSeconds", f.leadTimeMedian());
    // Only pushes that said when their commit was made (the plain format's commitTime) have one.
    seconds(n, "leadTimeFromCommitMedianSeconds", f.leadTimeFromCommitMedian());
    n.put("restores", f.restores());
    seconds(n, "timeToRestoreMedianSeconds", f.timeToRestoreMedian());
    n.put("failingSince", f.failingSince() == null ? null : f.failingSince().toString());
    if (targets != null) {
      ObjectNode t = n.putObject("targets");
      t.put("window", DoraTargets.text(targets.window()));
      putIfSet(t, "deploymentsPerDay", targets.deploymentsPerDay());
      if (targets.leadTime() != null) {
        t.put("leadTimeSeconds", targets.leadTime().toSeconds());
      }
      putIfSet(t, "changeFailureRate", targets.changeFailureRate());
      if (targets.timeToRestore() != null) {
        t.put("timeToRestoreSeconds", targets.timeToRestore().toSeconds());
      }
      ArrayNode missed = t.putArray("missed");
      targets
          .misses(f)
          .forEach(m -> missed.addObject().put("target", m.target()).put("message", m.message()));
    }
    return n;
  }

  private static void putIfSet(ObjectNode n, String field, Double value) {
    if (value != null) {
      n.put(field, value);
    }
  }

  private static void seconds(ObjectNode n, String field, Duration d) {
    if (d == null) {
      n.putNull(field);
    } else {
      n.put(field, d.toNanos() / 1e9);
    }
  }

  /** Four decimals are plenty for a rate and keep 1/3 from printing sixteen digits. */
  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
