package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.HealthSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.port.HealthProbe;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.core.port.ServicePlatform.RolloutStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * One round of verification of a revision: platform readiness first, then an HTTP probe; counts
 * consecutive results in the ledger so that verification survives across invocations.
 */
final class Verification {

  /** What one round concluded. */
  record Verdict(Kind kind, Deployment deployment, String detail) {

    /** Healthy enough, not healthy, or not decided yet. */
    enum Kind {
      HEALTHY,
      UNHEALTHY,
      UNDECIDED
    }
  }

  private final StepContext ctx;

  Verification(StepContext ctx) {
    this.ctx = ctx;
  }

  Verdict check(Deployment d, EnvironmentSpec env, String revision) {
    HealthSpec health = env.health();
    ServicePlatform platform = ctx.platform(env);
    d = resumed(d, health);
    Instant started = d.verifyStartedAt() == null ? ctx.clock.now() : d.verifyStartedAt();
    RolloutStatus status;
    try {
      status =
          ctx.retry.platform(
              "observe revision " + revision, () -> platform.observe(env.target(), revision));
    } catch (PlatformException e) {
      return unhealthy(d, "could not observe revision " + revision + ": " + e.getMessage());
    }
    switch (status.state()) {
      case FAILED:
        return unhealthy(d, "platform: revision " + revision + " failed: " + status.detail());
      case REVERTED:
        return unhealthy(
            d, "platform: revision " + revision + " no longer serves: " + status.detail());
      case IN_PROGRESS:
        return deadlineOr(
            ctx.progress(d.toBuilder().verifyStartedAt(started).build()),
            started,
            health,
            "platform: " + status.detail());
      case READY:
      default:
        break;
    }
    HealthProbe.Result probe = ctx.probe.probe(health, health.resolveUrl(d.serviceUrl()));
    int successes = probe.healthy() ? d.successes() + 1 : 0;
    int failures = probe.healthy() ? 0 : d.failures() + 1;
    Deployment counted =
        d.toBuilder()
            .successes(successes)
            .failures(failures)
            .verifyStartedAt(started)
            .detail(probe.detail())
            .build();
    if (successes >= health.successThreshold()) {
      return new Verdict(
          Verdict.Kind.HEALTHY,
          counted,
          successes + " consecutive healthy probes (" + probe.detail() + ")");
    }
    if (failures >= health.failureThreshold()) {
      return new Verdict(
          Verdict.Kind.UNHEALTHY,
          counted,
          failures + " consecutive unhealthy probes, last: " + probe.detail());
    }
    return deadlineOr(ctx.progress(counted), started, health, probe.detail());
  }

  /**
   * The deadline counts the time a run watched, not the time no run was there (a crash before the
   * lease expired, a budget spent before reconcile came back): such a gap moves the start of the
   * window forward, and consecutive counts start over, since nobody saw what happened meanwhile.
   */
  private Deployment resumed(Deployment d, HealthSpec health) {
    if (d.verifyStartedAt() == null) {
      return d;
    }
    Duration gap = Duration.between(d.updatedAt(), ctx.clock.now());
    Duration expected = health.interval().multipliedBy(2).plus(health.timeout());
    if (gap.compareTo(expected) <= 0) {
      return d;
    }
    return ctx.progress(
        d.toBuilder()
            .verifyStartedAt(d.verifyStartedAt().plus(gap))
            .successes(0)
            .failures(0)
            .detail("verification resumed after " + gap.toMillis() + "ms that no run watched")
            .build());
  }

  private Verdict deadlineOr(Deployment d, Instant started, HealthSpec health, String last) {
    Duration elapsed = Duration.between(started, ctx.clock.now());
    if (elapsed.compareTo(health.deadline()) >= 0) {
      return unhealthy(
          d, "not healthy within " + health.deadline().toMillis() + "ms, last: " + last);
    }
    return new Verdict(Verdict.Kind.UNDECIDED, d, last);
  }

  private static Verdict unhealthy(Deployment d, String detail) {
    return new Verdict(Verdict.Kind.UNHEALTHY, d, detail);
  }
}
