package dev.rollgate.core.port;

import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import java.util.List;

/**
 * Where services run (ECS, Cloud Run, Container Apps, local processes): describe what serves, roll
 * an image out as a new revision, observe the rollout, restore a previous revision.
 */
public interface ServicePlatform {

  /** The name the manifest uses in {@code target.platform}. */
  String name();

  /** Problems with a target's settings, each naming its path in the manifest; empty when valid. */
  List<String> validate(TargetSpec target);

  /** What serves now. */
  ServiceState describe(TargetSpec target) throws PlatformException;

  /**
   * Runs {@code image} as a new revision and routes traffic to it. Idempotent per {@code
   * deploymentId}: a second call for the same deployment returns the revision the first created.
   */
  Revision rollOut(TargetSpec target, String deploymentId, ImageRef image) throws PlatformException;

  /**
   * True when the platform can split a service's traffic between two revisions by weight, which a
   * canary strategy ({@code strategy.canary}) needs; the default cannot.
   */
  default boolean splitsTraffic() {
    return false;
  }

  /**
   * Runs {@code image} as a new revision that receives no traffic yet: the revision serving now
   * keeps all of it. Idempotent per {@code deploymentId}, like {@link #rollOut}. Platforms that
   * {@link #splitsTraffic} implement it.
   */
  default Revision stage(TargetSpec target, String deploymentId, ImageRef image)
      throws PlatformException {
    throw new PlatformException(name() + " does not split traffic between revisions", false);
  }

  /**
   * Sends {@code percent} of the service's traffic to {@code revision} and the rest to {@code
   * stable}, the revision that served before: 100 sends all of it to {@code revision}, 0 all of it
   * back to {@code stable}. Idempotent. While a revision holds a share, {@link #observe} reports it
   * READY once it runs and receives that share.
   */
  default void split(TargetSpec target, String revision, String stable, int percent)
      throws PlatformException {
    throw new PlatformException(name() + " does not split traffic between revisions", false);
  }

  /** How the rollout of {@code revision} is going, as the platform sees it. */
  RolloutStatus observe(TargetSpec target, String revision) throws PlatformException;

  /** Routes traffic back to {@code revision}, which served before. Idempotent. */
  void restore(TargetSpec target, String revision) throws PlatformException;

  /**
   * Releases revisions other than {@code serving} once {@code serving} is verified (stops old
   * processes, deactivates old revisions). Idempotent; the default keeps everything.
   */
  default void retire(TargetSpec target, String serving) throws PlatformException {}

  /**
   * The change rolling {@code image} out to {@code target} would make, field by field, against what
   * serves now; changes nothing. The default knows only the image; a platform that builds the new
   * revision from settings (a command, a template, variables) lists each field that differs, with
   * the same builder its {@link #rollOut} uses.
   */
  default List<Change> plan(TargetSpec target, ImageRef image) throws PlatformException {
    ServiceState now = describe(target);
    String from = now.image() == null ? null : now.image().display();
    String to = image.display();
    return from != null && from.equals(to) ? List.of() : List.of(new Change("image", from, to));
  }

  /**
   * One field of a target that a rollout changes.
   *
   * @param from its value now, null when nothing serves or the field is new
   * @param to its value after the rollout, null when the field goes away
   */
  record Change(String field, String from, String to) {}

  /** What serves a service now. */
  record ServiceState(String revision, ImageRef image, String url) {}

  /** A revision a rollout created. */
  record Revision(String id, String url) {}

  /** The platform's view of a rollout. */
  record RolloutStatus(State state, String detail) {

    /** Rollout states as the platforms report them. */
    public enum State {
      /** Still starting or shifting traffic. */
      IN_PROGRESS,
      /** Running and receiving the traffic. */
      READY,
      /** The platform gave up on it (tasks failing, revision not ready). */
      FAILED,
      /** The platform rolled back on its own, or something else now serves. */
      REVERTED
    }

    public static RolloutStatus ready(String detail) {
      return new RolloutStatus(State.READY, detail);
    }

    public static RolloutStatus inProgress(String detail) {
      return new RolloutStatus(State.IN_PROGRESS, detail);
    }

    public static RolloutStatus failed(String detail) {
      return new RolloutStatus(State.FAILED, detail);
    }

    public static RolloutStatus reverted(String detail) {
      return new RolloutStatus(State.REVERTED, detail);
    }
  }
}
