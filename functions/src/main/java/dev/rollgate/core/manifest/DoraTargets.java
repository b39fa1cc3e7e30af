package dev.rollgate.core.manifest;

import dev.rollgate.core.model.DoraFigures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An environment's DORA targets ({@code dora:} in the manifest): each is optional, and a figure
 * with nothing to measure (no deployment, no incident) misses none.
 *
 * @param window the window the targets are judged over (default {@link #DEFAULT_WINDOW})
 * @param deploymentsPerDay succeeded deployments per day: at least this many
 * @param leadTime the median lead time: at most this long
 * @param changeFailureRate the change failure rate, from 0 to 1: at most this
 * @param timeToRestore the median time to restore, and how long an open incident may last
 */
public record DoraTargets(
    Duration window,
    Double deploymentsPerDay,
    Duration leadTime,
    Double changeFailureRate,
    Duration timeToRestore) {

  public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

  /**
   * A target missed.
   *
   * @param target {@code deploymentsPerDay}, {@code leadTime}, {@code changeFailureRate} or {@code
   *     timeToRestore}, as in the manifest; {@code openIncident} when an incident still open has
   *     lasted longer than the time to restore target
   * @param message one sentence, e.g. "change failure rate 60% is above the target of 10%"
   */
  public record Miss(String target, String message) {}

  /** Each target the figures miss. */
  public List<Miss> misses(DoraFigures f) {
    List<Miss> misses = new ArrayList<>();
    if (deploymentsPerDay != null && f.deploymentsPerDay() < deploymentsPerDay) {
      misses.add(
          new Miss(
              "deploymentsPerDay",
              "deployment frequency %s a day is below the target of %s a day"
                  .formatted(number(f.deploymentsPerDay()), number(deploymentsPerDay))));
    }
    if (leadTime != null
        && f.leadTimeMedian() != null
        && f.leadTimeMedian().compareTo(leadTime) > 0) {
      misses.add(
          new Miss(
              "leadTime",
              "median lead time %s is above the target of %s"
                  .formatted(text(f.leadTimeMedian()), text(leadTime))));
    }
    Double rate = f.changeFailureRate();
    if (changeFailureRate != null && rate != null && rate > changeFailureRate) {
      misses.add(
          new Miss(
              "changeFailureRate",
              "change failure rate %s is above the target of %s"
                  .formatted(percent(rate), percent(changeFailureRate))));
    }
    if (timeToRestore != null
        && f.timeToRestoreMedian() != null
        && f.timeToRestoreMedian().compareTo(timeToRestore) > 0) {
      misses.add(
          new Miss(
              "timeToRestore",
              "median time to restore %s is above the target of %s"
                  .formatted(text(f.timeToRestoreMedian()), text(timeToRestore))));
    }
    Instant failing = f.failingSince();
    if (timeToRestore != null
        && failing != null
        && Duration.between(failing, f.until()).compareTo(timeToRestore) > 0) {
      misses.add(
          new Miss(
              "openIncident",
              "failing since %s, longer than the time to restore target of %s"
                  .formatted(failing, text(timeToRestore))));
    }
    return misses;
  }

  /** 90s, 15m, 1h30m, 2d3h: the largest units that say it exactly (to the second). */
  public static String text(Duration d) {
    long s = d.toSeconds();
    if (s == 0) {
      return d.toMillis() + "ms";
    }
    StringBuilder out = new StringBuilder();
    long[] units = {86400, 3600, 60, 1};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (s >= units[i]) {
        out.append(s / units[i]).append(names[i]);
        s %= units[i];
      }
    }
    return out.toString();
  }

  static String percent(double rate) {
    return number(rate * 100) + "%";
  }

  static String number(double n) {
    return n == Math.rint(n)
        ? Long.toString((long) n)
        : String.format(Locale.ROOT, "%.2f", n).replaceAll("0+$", "");
  }
}
