package dev.rollgate.ledger;

import dev.rollgate.core.model.AbortRequest;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.Ledger.ConcurrentUpdateException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The rules and words every {@link dev.rollgate.core.port.Ledger} implementation shares, so that
 * they refuse the same writes with the same messages and log the same reasons.
 */
public final class LedgerRules {

  /** Phases of deployments that never ran: they do not stop an older image from going ahead. */
  public static final Set<Phase> NEVER_STARTED =
      Set.of(Phase.PENDING, Phase.SUPERSEDED, Phase.REFUSED);

  private LedgerRules() {}

  /**
   * Refuses a save from a stale version or of an unknown deployment ({@link
   * ConcurrentUpdateException}), and one that moves a deployment to another app or environment.
   */
  public static void checkSave(Deployment current, Deployment next) {
    if (current == null) {
      throw new ConcurrentUpdateException(
          "ledger save: deployment "
              + next.id()
              + " (version "
              + next.version()
              + ") is not in the ledger: record it before saving new versions of it");
    }
    if (current.version() != next.version()) {
      throw new ConcurrentUpdateException(
          "ledger save: deployment "
              + next.id()
              + " was read at version "
              + next.version()
              + " but the ledger holds version "
              + current.version()
              + ": another writer saved it first; read it again and retry");
    }
    if (!current.app().equals(next.app()) || !current.environment().equals(next.environment())) {
      throw new IllegalArgumentException(
          "ledger save: deployment "
              + next.id()
              + " belongs to "
              + current.app()
              + "/"
              + current.environment()
              + ", not "
              + next.app()
              + "/"
              + next.environment()
              + ": record a new deployment for another app or environment");
    }
  }

  /**
   * The next version of {@code current} once {@code request} is recorded, or empty when it takes
   * none (an abort was recorded before, or its phase is not abortable). Its detail is the reason of
   * the transition to log, with {@code request.by()} as the actor.
   */
  public static Optional<Deployment> abort(Deployment current, AbortRequest request) {
    if (current.abortRequested() || !current.phase().isAbortable()) {
      return Optional.empty();
    }
    Instant at = micros(request.at());
    AbortRequest recorded = new AbortRequest(request.by(), request.reason(), at);
    Deployment.Builder next =
        current.toBuilder().version(current.version() + 1).updatedAt(at).abortRequest(recorded);
    if (current.phase() == Phase.PENDING && !current.active()) {
      return Optional.of(
          next.phase(Phase.ABORTED)
              .detail("aborted by " + recorded.describe() + " before it started: nothing ran")
              .build());
    }
    return Optional.of(
        next.detail("abort requested by " + recorded.describe() + " during " + current.phase())
            .build());
  }

  /** The actor of the transition that records an abort request: "abort:" and who asked. */
  public static String abortActor(AbortRequest request) {
    return "abort:" + request.by();
  }

  /** The message when a write would make a second deployment active. */
  public static String slotHeld(Deployment next) {
    return "ledger: deployment "
        + next.id()
        + " cannot become active: "
        + next.app()
        + "/"
        + next.environment()
        + " already has an active deployment; only claimNext hands out the slot";
  }

  /** The reason logged when a newer pending deployment takes the slot. */
  public static String supersededBy(Deployment newer) {
    return "superseded by newer deployment " + newer.id() + " (" + label(newer) + ")";
  }

  /** The reason logged when a newer image already started: an older one never replaces it. */
  public static String olderThanStarted(Deployment started) {
    return "superseded: deployment "
        + started.id()
        + " ("
        + label(started)
        + ") of a newer image already started; an older image never replaces a newer one";
  }

  /** The reason of a deployment's first transition. */
  public static String recordedReason(Deployment d) {
    return d.detail() != null ? d.detail() : "recorded";
  }

  /** An event is recorded under at least one key, none of them null. */
  public static void checkKeys(List<String> eventKeys) {
    Objects.requireNonNull(eventKeys, "eventKeys");
    if (eventKeys.isEmpty() || eventKeys.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException(
          "ledger record: an event needs at least one key and no null key, got " + eventKeys);
    }
  }

  public static void checkLimit(int limit, String operation) {
    if (limit < 1) {
      throw new IllegalArgumentException(
          "ledger " + operation + ": limit must be at least 1, was " + limit);
    }
  }

  /** Refuses a DORA window that is empty or backwards. */
  public static void checkWindow(Instant since, Instant until) {
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
    if (!since.isBefore(until)) {
      throw new IllegalArgumentException(
          "ledger dora: the window must start before it ends, got " + since + " to " + until);
    }
  }

  /** Instants as PostgreSQL keeps them: whole microseconds. */
  public static Instant micros(Instant at) {
    return at == null ? null : at.truncatedTo(ChronoUnit.MICROS);
  }

  private static String label(Deployment d) {
    if (d.image().tag() != null) {
      return "tag " + d.image().tag();
    }
    return d.image().digest() != null ? "digest " + d.image().digest() : "untagged";
  }
}
