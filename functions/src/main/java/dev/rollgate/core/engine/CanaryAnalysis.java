package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.CanarySpec;
import dev.rollgate.core.manifest.HealthSpec;
import dev.rollgate.core.model.CanaryProgress;
import java.time.Duration;
import java.time.Instant;

/**
 * Judges one canary step's analysis window from what the ledger recorded: the success rate of the
 * canary's health probes and the 95th percentile (nearest rank) of their latencies, over the pause.
 * Fails a step as soon as its failures make a threshold unreachable, so that a bad canary is caught
 * after its first bad probes rather than at the end of the pause.
 */
final class CanaryAnalysis {

  /** Fails, passes (the pause is over and the thresholds hold), or needs more probes. */
  enum Kind {
    FAIL,
    PASS,
    UNDECIDED
  }

  record Judgement(Kind kind, String detail) {}

  private CanaryAnalysis() {}

  /**
   * How many probes a full window holds: one when the step starts, then one per health interval
   * until the pause is over.
   */
  static long expectedProbes(CanarySpec spec, HealthSpec health) {
    return 1 + spec.pause().toMillis() / Math.max(1, health.interval().toMillis());
  }

  static Judgement judge(CanarySpec spec, HealthSpec health, CanaryProgress c, Instant now) {
    CanarySpec.Analysis a = spec.analysis();
    long window = Math.max(expectedProbes(spec, health), c.probes());
    // The most unhealthy probes a full window may hold and still reach the success rate.
    long allowedUnhealthy = (long) Math.floor(window * (1 - a.successRate()) + 1e-9);
    if (c.unhealthy() > allowedUnhealthy) {
      return new Judgement(
          Kind.FAIL,
          c.unhealthy()
              + " of "
              + c.probes()
              + " probes unhealthy: the success rate cannot reach "
              + percent(a.successRate())
              + " over the "
              + window
              + " probes of the pause");
    }
    long slow = c.latenciesMs().stream().filter(ms -> ms > a.latency().toMillis()).count();
    long allowedSlow = (long) Math.floor(window * 0.05 + 1e-9);
    if (slow > allowedSlow) {
      return new Judgement(
          Kind.FAIL,
          slow
              + " of "
              + c.probes()
              + " probes slower than "
              + a.latency().toMillis()
              + "ms: the p95 latency cannot stay within it over the "
              + window
              + " probes of the pause");
    }
    Duration elapsed = Duration.between(c.stepStartedAt(), now);
    if (elapsed.compareTo(spec.pause()) < 0) {
      return new Judgement(Kind.UNDECIDED, summary(c));
    }
    if (c.probes() == 0) {
      return new Judgement(Kind.FAIL, "no probe of the canary in the pause");
    }
    double rate = (c.probes() - c.unhealthy()) / (double) c.probes();
    if (rate < a.successRate()) {
      return new Judgement(
          Kind.FAIL, summary(c) + ": success rate below " + percent(a.successRate()));
    }
    if (c.p95Millis() > a.latency().toMillis()) {
      return new Judgement(
          Kind.FAIL, summary(c) + ": p95 latency above " + a.latency().toMillis() + "ms");
    }
    return new Judgement(Kind.PASS, summary(c));
  }

  /** "40/40 probes healthy, p95 120ms". */
  static String summary(CanaryProgress c) {
    return (c.probes() - c.unhealthy())
        + "/"
        + c.probes()
        + " probes healthy"
        + (c.probes() == 0 ? "" : ", p95 " + c.p95Millis() + "ms");
  }

  static String percent(double rate) {
    double p = rate * 100;
    return (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p)) + "%";
  }
}
