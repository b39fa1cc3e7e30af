package dev.rollgate.core.manifest;

import java.time.Duration;
import java.util.List;

/**
 * An environment's canary strategy ({@code strategy.canary} in the manifest): the new revision
 * receives each share of the traffic in turn and is analysed during a pause after each; it takes
 * all traffic only after the last step (always 100) passes.
 *
 * @param steps the shares in percent, strictly increasing, each 1..100, the last 100 (default [10,
 *     50, 100])
 * @param pause how long each step is analysed before the next (default 1m)
 * @param analysis what a step must show to pass
 * @param path where this sits in the manifest, for messages
 */
public record CanarySpec(List<Integer> steps, Duration pause, Analysis analysis, String path) {

  public static final List<Integer> DEFAULT_STEPS = List.of(10, 50, 100);
  public static final Duration DEFAULT_PAUSE = Duration.ofMinutes(1);

  public CanarySpec {
    steps = List.copyOf(steps);
  }

  /**
   * What a canary step must show over its pause ({@code strategy.canary.analysis}).
   *
   * @param successRate the least share of the canary's health probes that must be healthy over the
   *     pause, 0..1 (default 0.99: with fewer than 100 probes in a pause, one unhealthy probe fails
   *     the step)
   * @param latency the most the 95th percentile (nearest rank) of the probes' latencies may be over
   *     the pause (default 1s)
   * @param prometheus a Prometheus query evaluated at the end of each pause, or null for none
   */
  public record Analysis(double successRate, Duration latency, PrometheusSpec prometheus) {

    public static final double DEFAULT_SUCCESS_RATE = 0.99;
    public static final Duration DEFAULT_LATENCY = Duration.ofSeconds(1);

    public static Analysis defaults() {
      return new Analysis(DEFAULT_SUCCESS_RATE, DEFAULT_LATENCY, null);
    }
  }

  /** The share of step {@code index} (0-based). */
  public int share(int index) {
    return steps.get(index);
  }
}
