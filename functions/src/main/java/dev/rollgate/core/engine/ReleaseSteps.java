package dev.rollgate.core.engine;

import dev.rollgate.core.engine.Verification.Verdict;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.ServiceSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.ReleasePart;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.core.port.ServicePlatform.Revision;
import dev.rollgate.core.port.ServicePlatform.ServiceState;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The steps of a release of several services in order ({@code services:}): one deployment whose
 * parts roll out and are verified one after the other, the next only once the previous is healthy.
 * When a part fails, every part this release touched is restored, in reverse order (the failing one
 * first), each restore verified like a rollout; the timeline names the part in each reason.
 *
 * <p>The migration (MIGRATING) and an abort before anything was touched are the single-service
 * steps'. While a part is worked on, the deployment's {@code previousRevision}, {@code revision}
 * and {@code serviceUrl} are that part's, so that {@link Verification} checks it as it checks one
 * service.
 */
final class ReleaseSteps {

  private static final Logger LOG = Logger.getLogger(ReleaseSteps.class.getName());

  private final StepContext ctx;
  private final AbortStep abort;
  private final Verification verification;

  ReleaseSteps(StepContext ctx, AbortStep abort) {
    this.ctx = ctx;
    this.abort = abort;
    this.verification = new Verification(ctx);
  }

  /** The step for {@code d}, or null when it is no release of several services (or MIGRATING). */
  Step stepFor(Deployment d) {
    boolean release =
        d.isRelease()
            || (d.phase() == Phase.PENDING
                && ctx.manifest
                    .environment(d.app(), d.environment())
                    .map(EnvironmentSpec::isRelease)
                    .orElse(false));
    if (!release) {
      return null;
    }
    if (d.abortRequested() && d.phase().isAbortable()) {
      return d.phase() == Phase.PENDING || d.phase() == Phase.MIGRATING ? abort : this::abort;
    }
    return switch (d.phase()) {
      case PENDING -> this::start;
      case ROLLING_OUT -> this::rollOut;
      case VERIFYING -> this::verify;
      case FAILED, ERRORED -> this::startRollback;
      case ROLLING_BACK -> this::rollBack;
      default -> null;
    };
  }

  /** PENDING to MIGRATING or ROLLING_OUT: records what serves each service before the release. */
  private Step.Outcome start(Deployment d) {
    EnvironmentSpec env = ctx.environment(d);
    if (!d.override()
        && d.image().digest() != null
        && ctx.ledger.isKnownBad(d.app(), d.environment(), d.image().digest())) {
      return Step.Outcome.next(
          ctx.save(
              d.toBuilder().phase(Phase.REFUSED).active(false).build(),
              KnownBad.reason(d.image().digest(), d.environment())));
    }
    List<ReleasePart> parts = d.parts();
    if (parts.isEmpty()) {
      // Recorded by a path that knew one image only: services of other repositories cannot go.
      List<String> named =
          env.services().stream().filter(s -> s.image() != null).map(ServiceSpec::path).toList();
      if (!named.isEmpty()) {
        return Step.Outcome.next(
            ctx.save(
                d.toBuilder().phase(Phase.ERRORED).active(false).configurationFault(true).build(),
                "configuration error, nothing touched: "
                    + String.join(", ", named)
                    + " name their own repository, but no digest was matched for them when "
                    + d.image().display()
                    + " arrived; push or promote it again"));
      }
      parts = env.services().stream().map(s -> ReleasePart.pending(s.name(), d.image())).toList();
    }
    List<ReleasePart> described = new ArrayList<>();
    List<String> before = new ArrayList<>();
    for (ReleasePart p : parts) {
      ServiceSpec s = service(env, p);
      ServiceState serving;
      try {
        serving =
            ctx.retry.platform(
                "describe " + s.target().display(), () -> platform(s).describe(s.target()));
      } catch (PlatformException e) {
        return Step.Outcome.next(
            ctx.save(
                d.toBuilder().phase(Phase.ERRORED).active(false).build(),
                p.service()
                    + ": could not describe "
                    + s.target().display()
                    + ": "
                    + e.getMessage()
                    + "; nothing was touched"));
      }
      described.add(p.withServing(serving.revision(), serving.url()));
      before.add(
          p.service()
              + ": "
              + (serving.revision() == null
                  ? "nothing serves " + s.target().display() + " yet"
                  : "revision "
                      + serving.revision()
                      + (serving.image() == null ? "" : " (" + serving.image().display() + ")")));
    }
    ReleasePart first = described.get(0);
    Phase next = env.migrations() != null ? Phase.MIGRATING : Phase.ROLLING_OUT;
    return Step.Outcome.next(
        ctx.save(
            d.toBuilder()
                .phase(next)
                .parts(described)
                .previousRevision(first.previousRevision())
                .serviceUrl(first.serviceUrl())
                .build(),
            "release of " + names(described) + "; serving before: " + String.join("; ", before)));
  }

  /** ROLLING_OUT to VERIFYING: the current part's new revision, keyed by the deployment's id. */
  private Step.Outcome rollOut(Deployment d) {
    EnvironmentSpec env = ctx.environment(d);
    int i = current(d);
    ReleasePart p = d.parts().get(i);
    ServiceSpec s = service(env, p);
    Revision revision;
    try {
      revision =
          ctx.retry.platform(
              "roll out " + p.image().display() + " to " + s.target().display(),
              () -> platform(s).rollOut(s.target(), d.id(), p.image()));
    } catch (PlatformException e) {
      // The call may have half-happened: this part is restored with the others.
      String why = "rollout failed: " + e.getMessage();
      return Step.Outcome.next(
          ctx.save(
              d.toBuilder()
                  .phase(Phase.ERRORED)
                  .parts(with(d, i, p.withState(Phase.ERRORED, why)))
                  .previousRevision(p.previousRevision())
                  .serviceUrl(p.serviceUrl())
                  .build(),
              p.service() + ": " + why));
    }
    String issued = "rollout issued: revision " + revision.id() + " of " + p.image().display();
    return Step.Outcome.next(
        ctx.save(
            d.toBuilder()
                .phase(Phase.VERIFYING)
                .parts(
                    with(
                        d,
                        i,
                        p.withRevision(revision.id(), revision.url())
                            .withState(Phase.VERIFYING, issued)))
                .previousRevision(p.previousRevision())
                .revision(revision.id())
                .serviceUrl(revision.url())
                .verifyStartedAt(ctx.clock.now())
                .successes(0)
                .failures(0)
                .build(),
            p.service() + ": " + issued));
  }

  /** VERIFYING to the next part's ROLLING_OUT, SUCCEEDED after the last, or FAILED. */
  private Step.Outcome verify(Deployment d) {
    EnvironmentSpec env = ctx.environment(d);
    int i = current(d);
    ReleasePart p = d.parts().get(i);
    ServiceSpec s = service(env, p);
    Verdict verdict = verification.check(d, env.forService(s), p.revision());
    switch (verdict.kind()) {
      case HEALTHY -> {
        String healthy = "healthy: " + verdict.detail();
        List<ReleasePart> parts = with(d, i, p.withState(Phase.SUCCEEDED, healthy));
        if (i + 1 < parts.size()) {
          ReleasePart next = parts.get(i + 1);
          return Step.Outcome.next(
              ctx.save(
                  verdict.deployment().toBuilder()
                      .phase(Phase.ROLLING_OUT)
                      .parts(parts)
                      .previousRevision(next.previousRevision())
                      .revision(null)
                      .serviceUrl(next.serviceUrl())
                      .verifyStartedAt(null)
                      .successes(0)
                      .failures(0)
                      .build(),
                  p.service() + ": " + healthy + "; " + next.service() + " next"));
        }
        // Older revisions go only now: until the last part is verified, each may be restored.
        for (ReleasePart done : parts) {
          retire(service(env, done), done.revision());
        }
        return Step.Outcome.next(
            ctx.save(
                verdict.deployment().toBuilder()
                    .phase(Phase.SUCCEEDED)
                    .active(false)
                    .parts(parts)
                    .build(),
                p.service() + ": " + healthy + "; release of " + names(parts) + " succeeded"));
      }
      case UNHEALTHY -> {
        Deployment failed =
            verdict.deployment().toBuilder()
                .phase(Phase.FAILED)
                .parts(with(d, i, p.withState(Phase.FAILED, verdict.detail())))
                .successes(0)
                .failures(0)
                .build();
        if (!env.rollbackOnFailure()) {
          failed = failed.toBuilder().active(false).build();
        }
        return Step.Outcome.next(ctx.save(failed, p.service() + ": " + verdict.detail()));
      }
      default -> {
        return Step.Outcome.waiting(verdict.deployment(), s.health().interval());
      }
    }
  }

  /** FAILED or ERRORED, holding the slot: every part this release touched is to be restored. */
  private Step.Outcome startRollback(Deployment d) {
    return Step.Outcome.next(toRollback(d, "rolling back "));
  }

  /** An abort while a part rolls out or is verified: restore what the release touched. */
  private Step.Outcome abort(Deployment d) {
    return Step.Outcome.next(
        toRollback(d, "aborted by " + d.abortRequest().describe() + "; rolling back "));
  }

  private Deployment toRollback(Deployment d, String prefix) {
    int current = d.parts().stream().allMatch(p -> p.state() == Phase.SUCCEEDED) ? -1 : current(d);
    List<ReleasePart> parts = new ArrayList<>();
    for (int k = 0; k < d.parts().size(); k++) {
      ReleasePart p = d.parts().get(k);
      boolean touched =
          switch (p.state()) {
            case SUCCEEDED, VERIFYING, FAILED, ERRORED -> true;
            // A rollout may have been issued for the part being rolled out.
            default -> k == current && d.phase() == Phase.ROLLING_OUT;
          };
      parts.add(touched ? p.withState(Phase.ROLLING_BACK, p.detail()) : p);
    }
    List<String> order = new ArrayList<>();
    for (int k = parts.size() - 1; k >= 0; k--) {
      if (parts.get(k).state() == Phase.ROLLING_BACK) {
        order.add(parts.get(k).service());
      }
    }
    return ctx.save(
        d.toBuilder()
            .phase(Phase.ROLLING_BACK)
            .parts(parts)
            .restoredAt(null)
            .verifyStartedAt(null)
            .successes(0)
            .failures(0)
            .build(),
        prefix + String.join(", then ", order) + " (the reverse of the release order)");
  }

  /** ROLLING_BACK: restores the last part still to restore and verifies it; then the outcome. */
  private Step.Outcome rollBack(Deployment d) {
    EnvironmentSpec env = ctx.environment(d);
    int j = -1;
    for (int k = d.parts().size() - 1; k >= 0 && j < 0; k--) {
      if (d.parts().get(k).state() == Phase.ROLLING_BACK) {
        j = k;
      }
    }
    if (j < 0) {
      return Step.Outcome.next(finish(d));
    }
    ReleasePart p = d.parts().get(j);
    ServiceSpec s = service(env, p);
    if (p.previousRevision() == null) {
      String left =
          p.revision() == null
              ? "no revision of it was recorded; if one was issued, remove it by hand"
              : "revision " + p.revision() + " was left in place: fix or remove it by hand";
      ReleasePart done =
          d.abortRequested()
              ? p.withState(Phase.ABORTED, "nothing served before the release; " + left)
              : p.withState(
                  Phase.ROLLBACK_FAILED, "nothing served before, nothing to restore; " + left);
      return Step.Outcome.next(partDone(d, j, done));
    }
    if (d.restoredAt() == null) {
      try {
        ctx.retry.platform(
            "restore revision " + p.previousRevision() + " of " + s.target().display(),
            () -> {
              platform(s).restore(s.target(), p.previousRevision());
              return null;
            });
      } catch (PlatformException e) {
        return Step.Outcome.next(
            partDone(
                d,
                j,
                p.withState(
                    Phase.ROLLBACK_FAILED,
                    "could not restore revision " + p.previousRevision() + ": " + e.getMessage())));
      }
      return Step.Outcome.next(
          ctx.save(
              d.toBuilder()
                  .previousRevision(p.previousRevision())
                  .revision(p.revision())
                  .serviceUrl(p.serviceUrl())
                  .restoredAt(ctx.clock.now())
                  .verifyStartedAt(ctx.clock.now())
                  .successes(0)
                  .failures(0)
                  .build(),
              p.service() + ": revision " + p.previousRevision() + " serves again; verifying it"));
    }
    Verdict verdict = verification.check(d, env.forService(s), p.previousRevision());
    return switch (verdict.kind()) {
      case HEALTHY -> {
        retire(s, p.previousRevision());
        yield Step.Outcome.next(
            partDone(
                verdict.deployment(),
                j,
                p.withState(
                    Phase.ROLLED_BACK,
                    "revision "
                        + p.previousRevision()
                        + " restored and healthy: "
                        + verdict.detail())));
      }
      case UNHEALTHY ->
          Step.Outcome.next(
              partDone(
                  verdict.deployment(),
                  j,
                  p.withState(
                      Phase.ROLLBACK_FAILED,
                      "restored revision "
                          + p.previousRevision()
                          + " is not healthy: "
                          + verdict.detail())));
      default -> Step.Outcome.waiting(verdict.deployment(), s.health().interval());
    };
  }

  /** Records that part {@code j} is done rolling back, in the timeline, and clears the counters. */
  private Deployment partDone(Deployment d, int j, ReleasePart done) {
    return ctx.note(
        d.toBuilder()
            .parts(with(d, j, done))
            .restoredAt(null)
            .verifyStartedAt(null)
            .successes(0)
            .failures(0)
            .build(),
        done.service() + ": " + done.detail());
  }

  /** Every part restored (or given up on): ROLLED_BACK, ABORTED or ROLLBACK_FAILED naming parts. */
  private Deployment finish(Deployment d) {
    List<ReleasePart> reversed = new ArrayList<>(d.parts());
    java.util.Collections.reverse(reversed);
    String restored =
        reversed.stream()
            .filter(p -> p.state() == Phase.ROLLED_BACK)
            .map(p -> p.service() + " (revision " + p.previousRevision() + ")")
            .collect(Collectors.joining(", then "));
    List<ReleasePart> broken =
        reversed.stream().filter(p -> p.state() == Phase.ROLLBACK_FAILED).toList();
    String restoredText = restored.isEmpty() ? "nothing restored" : "restored " + restored;
    Deployment.Builder out = d.toBuilder().active(false);
    if (!broken.isEmpty()) {
      return ctx.save(
          out.phase(Phase.ROLLBACK_FAILED).build(),
          "rollback failed for "
              + broken.stream()
                  .map(p -> p.service() + " (" + p.detail() + ")")
                  .collect(Collectors.joining(", "))
              + "; "
              + restoredText);
    }
    List<ReleasePart> left = reversed.stream().filter(p -> p.state() == Phase.ABORTED).toList();
    if (d.abortRequested()) {
      return ctx.save(
          out.phase(Phase.ABORTED).build(),
          "aborted by "
              + d.abortRequest().describe()
              + ": "
              + restoredText
              + left.stream()
                  .map(p -> "; " + p.service() + ": " + p.detail())
                  .collect(Collectors.joining()));
    }
    return ctx.save(out.phase(Phase.ROLLED_BACK).build(), "release rolled back: " + restoredText);
  }

  /** The part being rolled out or verified: the first one not verified yet. */
  private static int current(Deployment d) {
    for (int i = 0; i < d.parts().size(); i++) {
      if (d.parts().get(i).state() != Phase.SUCCEEDED) {
        return i;
      }
    }
    throw new IllegalStateException(
        "deployment " + d.id() + " in " + d.phase() + " has no part left to roll out");
  }

  private static List<ReleasePart> with(Deployment d, int i, ReleasePart part) {
    List<ReleasePart> parts = new ArrayList<>(d.parts());
    parts.set(i, part);
    return parts;
  }

  private static String names(List<ReleasePart> parts) {
    return parts.stream().map(ReleasePart::service).collect(Collectors.joining(", then "));
  }

  /** The manifest's service for a part; it is gone when the manifest changed under a release. */
  private static ServiceSpec service(EnvironmentSpec env, ReleasePart p) {
    return env.service(p.service())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "rollgate.yaml no longer has service '"
                        + p.service()
                        + "' in environment "
                        + env.name()));
  }

  private ServicePlatform platform(ServiceSpec s) {
    return ctx.platforms.platform(s.target().platform());
  }

  private void retire(ServiceSpec s, String serving) {
    if (serving == null) {
      return;
    }
    try {
      platform(s).retire(s.target(), serving);
    } catch (PlatformException e) {
      // Old revisions left running cost money, not correctness; say so and go on.
      LOG.warning("could not retire old revisions of " + s.target().display() + ": " + e);
    }
  }
}
