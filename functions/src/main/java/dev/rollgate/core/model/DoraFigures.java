package dev.rollgate.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The four DORA figures of one app and environment over a window from {@code since} to {@code
 * until}, both included, read from the ledger's transition log alone (docs/dora.md defines each
 * one).
 *
 * @param deployments deployments whose first outcome (SUCCEEDED, FAILED, ERRORED, ROLLED_BACK,
 *     ROLLBACK_FAILED) falls in the window; configuration faults do not count
 * @param succeeded those of them that SUCCEEDED
 * @param failed those of them that FAILED, ERRORED, were ROLLED_BACK or ended ROLLBACK_FAILED
 * @param leadTimeMedian the median time from the push's receipt (the first time rollgate recorded
 *     the digest for this app, in any environment) to SUCCEEDED, over the succeeded ones; null when
 *     none succeeded
 * @param restores incidents that began in the window and ended: a failure after the service was
 *     touched, until the next ROLLED_BACK or SUCCEEDED in the environment
 * @param timeToRestoreMedian the median duration of those incidents; null when there was none
 * @param failingSince when the incident still open at {@code until} began, or null
 * @param leadTimeFromCommitMedian the median time from the commit (the earliest commit time an
 *     event gave for the digest, in any environment of the app) to SUCCEEDED, over the succeeded
 *     ones whose commit time is known; null when none is
 */
public record DoraFigures(
    String app,
    String environment,
    Instant since,
    Instant until,
    int deployments,
    int succeeded,
    int failed,
    Duration leadTimeMedian,
    int restores,
    Duration timeToRestoreMedian,
    Instant failingSince,
    Duration leadTimeFromCommitMedian) {

  /** The figures without a lead time from the commit (no event gave a commit time). */
  public DoraFigures(
      String app,
      String environment,
      Instant since,
      Instant until,
      int deployments,
      int succeeded,
      int failed,
      Duration leadTimeMedian,
      int restores,
      Duration timeToRestoreMedian,
      Instant failingSince) {
    this(
        app,
        environment,
        since,
        until,
        deployments,
        succeeded,
        failed,
        leadTimeMedian,
        restores,
        timeToRestoreMedian,
        failingSince,
        null);
  }

  public DoraFigures {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
  }

  /** Succeeded deployments per day of the window. */
  public double deploymentsPerDay() {
    double days = Duration.between(since, until).toNanos() / (double) Duration.ofDays(1).toNanos();
    return days <= 0 ? 0 : succeeded / days;
  }

  /** Failed deployments / all deployments, from 0 to 1; null when nothing was deployed. */
  public Double changeFailureRate() {
    return deployments == 0 ? null : (double) failed / deployments;
  }

  /**
   * The median of durations given in whole microseconds, as PostgreSQL's {@code
   * percentile_cont(0.5)} computes it (the mean of the two middle values when there is an even
   * number), rounded to a microsecond; null for none.
   */
  public static Duration median(List<Long> micros) {
    if (micros.isEmpty()) {
      return null;
    }
    long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
    double position = 0.5 * (sorted.length - 1);
    int lower = (int) Math.floor(position);
    int upper = (int) Math.ceil(position);
    double value = sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    return micros(Math.round(value));
  }

  /** A duration of whole microseconds. */
  public static Duration micros(long micros) {
    return Duration.ofSeconds(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }
}
