package dev.rollgate.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where a canary release stands: which step, which share of the traffic the new revision holds, and
 * what the analysis of the step has seen so far. The ledger logs a transition whenever the {@link
 * #milestone} changes, so that each step's start and result are in the timeline.
 *
 * @param state staged (no traffic yet), analysing a step, its step passed, or failed
 * @param step the step (1-based) being analysed or just decided; 0 while staged
 * @param steps how many steps the strategy has
 * @param share the percent of the traffic the new revision receives now
 * @param url the new revision's own URL (not the stable URL that splits), which the analysis probes
 * @param stepStartedAt when the current step's analysis window began
 * @param probes health probes of the canary in the current window
 * @param unhealthy of which unhealthy
 * @param latenciesMs each probe's latency in milliseconds, in order, for the window's percentile
 */
public record CanaryProgress(
    State state,
    int step,
    int steps,
    int share,
    String url,
    Instant stepStartedAt,
    int probes,
    int unhealthy,
    List<Integer> latenciesMs) {

  /** The phases of one canary release inside VERIFYING. */
  public enum State {
    /** The new revision runs without traffic; waiting for it to be ready. */
    STAGED,
    /** The new revision holds the step's share; its analysis window is open. */
    ANALYSING,
    /** The step's analysis passed; the next step (or all traffic) comes next. */
    PASSED,
    /** An analysis failed and all traffic went back to the revision that served before. */
    FAILED,
    /**
     * Stopped for another reason (an abort, an error) and all traffic went back to the revision
     * that served before.
     */
    STOPPED
  }

  public CanaryProgress {
    Objects.requireNonNull(state, "state");
    latenciesMs = latenciesMs == null ? List.of() : List.copyOf(latenciesMs);
  }

  /** A new revision staged without traffic, for a strategy of {@code steps} steps. */
  public static CanaryProgress staged(int steps, String url, Instant at) {
    return new CanaryProgress(State.STAGED, 0, steps, 0, url, at, 0, 0, List.of());
  }

  /** Step {@code step} began at {@code at} with {@code share} percent: a fresh window. */
  public CanaryProgress analysing(int newStep, int newShare, Instant at) {
    return new CanaryProgress(State.ANALYSING, newStep, steps, newShare, url, at, 0, 0, List.of());
  }

  /** The same step's window, started again in full at {@code at}. */
  public CanaryProgress restarted(Instant at) {
    return analysing(step, share, at);
  }

  /** One more probe in the window. */
  public CanaryProgress probed(boolean healthy, long latencyMs) {
    List<Integer> next = new java.util.ArrayList<>(latenciesMs);
    next.add((int) Math.min(Integer.MAX_VALUE, latencyMs));
    return new CanaryProgress(
        state,
        step,
        steps,
        share,
        url,
        stepStartedAt,
        probes + 1,
        unhealthy + (healthy ? 0 : 1),
        next);
  }

  public CanaryProgress passed() {
    return new CanaryProgress(
        State.PASSED, step, steps, share, url, stepStartedAt, probes, unhealthy, latenciesMs);
  }

  /** Failed, with all traffic back where it was. */
  public CanaryProgress failed() {
    return new CanaryProgress(
        State.FAILED, step, steps, 0, url, stepStartedAt, probes, unhealthy, latenciesMs);
  }

  /** Stopped (abort, error), with all traffic back where it was. */
  public CanaryProgress stopped() {
    return new CanaryProgress(
        State.STOPPED, step, steps, 0, url, stepStartedAt, probes, unhealthy, latenciesMs);
  }

  public boolean lastStep() {
    return step == steps;
  }

  /** What changes once per step and outcome: the ledger logs a transition when it changes. */
  public String milestone() {
    return state + " " + step + "/" + steps + " " + share + "%";
  }

  /** The 95th percentile (nearest rank) of the window's latencies, or -1 without probes. */
  public long p95Millis() {
    if (latenciesMs.isEmpty()) {
      return -1;
    }
    List<Integer> sorted = latenciesMs.stream().sorted().toList();
    int rank = (int) Math.ceil(0.95 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** Latencies as the ledger stores them: comma-separated milliseconds. */
  public String latenciesText() {
    return String.join(",", latenciesMs.stream().map(String::valueOf).toList());
  }

  /** Reads {@link #latenciesText}. */
  public static List<Integer> latencies(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(text.split(",")).map(Integer::valueOf).toList();
  }

  /** The milestone of {@code d}'s canary, or null when it has none. */
  public static String milestoneOf(Deployment d) {
    return d == null || d.canary() == null ? null : d.canary().milestone();
  }
}
