package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.AppSpec;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.EnvironmentSpec.DeployMode;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.events.ImagePushed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns an image push into the deployments the manifest asks for: one per on-push environment of
 * every app that follows the pushed repository. Known-bad digests are recorded as REFUSED.
 */
public final class PushPlanner {

  /**
   * How far ahead of rollgate's clock a push time may be. Pushes are ordered by the time their
   * event carries ("an older image never replaces a newer one"), so a time beyond this is clamped
   * to the time the event was received, not refused: a registry whose clock runs ahead still
   * deploys, and no event can claim a future that locks out every later push.
   */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  private final Manifest manifest;
  private final Ledger ledger;

  public PushPlanner(Manifest manifest, Ledger ledger) {
    this.manifest = manifest;
    this.ledger = ledger;
  }

  /** The deployments to record for {@code push}; empty when no app follows its repository. */
  public List<Deployment> plan(ImagePushed push, String eventKey, Instant receivedAt) {
    List<Deployment> planned = new ArrayList<>();
    Instant pushedAt = push.occurredAt();
    String clamped = "";
    if (pushedAt.isAfter(receivedAt.plus(MAX_CLOCK_SKEW))) {
      clamped =
          " (its time "
              + pushedAt
              + " is ahead of rollgate's clock by more than "
              + MAX_CLOCK_SKEW.toMinutes()
              + " minutes: ordered by the time it was received)";
      pushedAt = receivedAt;
    }
    for (AppSpec app : manifest.apps()) {
      if (!app.follows(push.registry(), push.repository())) {
        continue;
      }
      ImageRef image =
          new ImageRef(
              push.registry() != null ? push.registry() : app.image().registry(),
              push.repository(),
              push.tags().isEmpty() ? null : push.tags().get(0),
              push.digest());
      for (EnvironmentSpec env : app.environments()) {
        if (env.deploy() != DeployMode.ON_PUSH) {
          continue;
        }
        Deployment.Builder d =
            Deployment.builder()
                .id(UUID.randomUUID().toString())
                .app(app.name())
                .environment(env.name())
                .image(image)
                .pushedAt(pushedAt)
                .createdAt(receivedAt)
                .updatedAt(receivedAt)
                .triggerKey(eventKey)
                .requestedBy("push:" + push.source())
                .detail("pushed " + image.display() + clamped);
        Optional<String> needsTag =
            image.tag() == null ? Placeholders.needsTag(app.name(), env) : Optional.empty();
        if (needsTag.isPresent()) {
          // A configuration problem known up front: refused here, and the digest stays good.
          d.phase(Phase.REFUSED)
              .detail(
                  needsTag.get()
                      + " uses {tag}, but this push of "
                      + image.display()
                      + " names no tag; push the image with a tag or remove {tag} there");
        } else if (push.digest() != null
            && ledger.isKnownBad(app.name(), env.name(), push.digest())) {
          d.phase(Phase.REFUSED).detail(KnownBad.reason(push.digest(), env.name()));
        }
        planned.add(d.build());
      }
    }
    return planned;
  }
}
