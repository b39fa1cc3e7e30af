package dev.rollgate.core.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.engine.DeploymentEngine;
import dev.rollgate.core.engine.PushPlanner;
import dev.rollgate.core.engine.ReleaseImages;
import dev.rollgate.core.engine.TagResolution;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.events.Handshake;
import dev.rollgate.events.ImagePushed;
import dev.rollgate.events.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What rollgate does with decoded triggers, whichever function received them: pushes are recorded
 * once per event key and advanced, handshakes answered, everything else acknowledged.
 */
final class Deliveries {

  private final DeploymentEngine engine;
  private final PushPlanner planner;
  private final TagResolution tags;
  private final ReleaseImages releases;
  private final Duration budget;

  Deliveries(DeploymentEngine engine, TagResolution tags, Duration budget) {
    this.engine = engine;
    this.planner = new PushPlanner(engine.manifest(), engine.ledger());
    this.tags = tags;
    this.releases = new ReleaseImages(engine.manifest(), tags);
    this.budget = budget;
  }

  FunctionResponse handle(List<Trigger> triggers, Instant received) {
    return handle(triggers, received, null);
  }

  /**
   * @param replayKey for a verified webhook, a digest of what its check vouches for (see {@link
   *     dev.rollgate.events.auth.Verification#replayKey}); each push is recorded under it as well
   *     as under its sender's id, and is a duplicate when either was seen
   */
  FunctionResponse handle(List<Trigger> triggers, Instant received, String replayKey) {
    for (Trigger t : triggers) {
      if (t instanceof Handshake h) {
        return new FunctionResponse(
            200, Json.MAPPER.valueToTree(h.response()).toString(), h.responseHeaders());
      }
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode events = body.putArray("events");
    ArrayNode deployments = body.putArray("deployments");
    boolean allDuplicates = true;
    boolean anyDeployment = false;
    for (int i = 0; i < triggers.size(); i++) {
      Trigger t = triggers.get(i);
      ObjectNode event = events.addObject();
      event.put("kind", t.kind());
      event.put("event", key(t));
      if (!(t instanceof ImagePushed pushed)) {
        event.put("detail", "not a deploy trigger: " + describe(t));
        allDuplicates = false;
        continue;
      }
      ImagePushed push = pushed;
      String refusal = null;
      String resolvedNote = null;
      if (push.digest() == null && !tags.resolves(push)) {
        return Json.error(
            400,
            "no-digest",
            "$.digest: missing: "
                + push.source()
                + " sent no digest for "
                + push.repository()
                + (push.tags().isEmpty() ? "" : ":" + push.tags().get(0))
                + "; rollgate pins every deployment by digest"
                + (!TagResolution.sendsTags(push)
                    ? " (it resolves tags for "
                        + String.join(", ", TagResolution.TAG_SENDERS)
                        + " only; this sender always sends a digest)"
                    : push.tags().isEmpty()
                        ? ", and there is no tag to resolve"
                        : " (this rollgate was assembled without a registry client: tags are not"
                            + " resolved)"));
      }
      if (tags.resolves(push) && tags.followed(push)) {
        // Resolved once, here: the deployments carry this digest, whatever the tag names later.
        TagResolution.Outcome outcome = tags.resolve(push);
        if (outcome instanceof TagResolution.Unavailable u) {
          return Json.error(503, "registry-unavailable", u.reason());
        } else if (outcome instanceof TagResolution.Refused r) {
          refusal = r.reason();
        } else if (outcome instanceof TagResolution.Pinned p) {
          push = p.push();
          resolvedNote = p.note();
        }
      }
      List<Deployment> planned =
          pinned(planner.plan(push, key(t), received), refusal, resolvedNote);
      try {
        // A release of several services: each service's image matched to this version, once.
        planned = releases.matched(planned, push);
      } catch (ReleaseImages.Unavailable e) {
        return Json.error(503, "registry-unavailable", e.getMessage());
      }
      List<String> keys =
          replayKey == null
              ? List.of(key(t))
              : List.of(key(t), t.source() + ":verified:" + replayKey + "#" + i);
      Optional<List<Deployment>> recorded =
          engine.ledger().record(keys, push.source(), received, planned);
      event.put("duplicate", recorded.isEmpty());
      if (recorded.isEmpty()) {
        event.put("detail", "event " + key(t) + " was received before: nothing new was deployed");
        continue;
      }
      allDuplicates = false;
      commitTime(push, received, recorded.get());
      if (planned.isEmpty()) {
        event.put("detail", "no app in rollgate.yaml follows " + push.repository());
      }
      try {
        for (Deployment d : recorded.get()) {
          anyDeployment = true;
          Deployment now =
              d.phase().isTerminal() ? d : engine.advance(d, engine.clock().now().plus(budget));
          deployments.add(Json.deployment(now));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        event.put("detail", "interrupted; reconcile goes on from where this stopped");
        break;
      }
    }
    // The shape of a single event at the top, for callers that send one.
    if (events.size() == 1) {
      body.set("event", events.get(0).get("event"));
      if (events.get(0).has("detail")) {
        body.set("detail", events.get(0).get("detail"));
      }
    }
    body.put("duplicate", allDuplicates && !triggers.isEmpty());
    return Json.ok(anyDeployment ? 202 : 200, body);
  }

  /**
   * The planned deployments with what resolving the tag said: refused, or where the digest came
   * from.
   */
  private static List<Deployment> pinned(List<Deployment> planned, String refusal, String note) {
    if (refusal == null && note == null) {
      return planned;
    }
    return planned.stream()
        .map(
            d -> {
              if (d.phase().isTerminal()) {
                return d;
              }
              return refusal != null
                  ? d.toBuilder().phase(Phase.REFUSED).detail(refusal).build()
                  : d.toBuilder().detail(d.detail() + "; " + note).build();
            })
        .toList();
  }

  /** The ledger's key for an event: its sender and the sender's id (or a digest of its body). */
  static String key(Trigger t) {
    return t.source() + ":" + t.id();
  }

  private static String describe(Trigger t) {
    if (t instanceof dev.rollgate.events.Ignored i) {
      return i.reason();
    }
    return t.kind() + " from " + t.source();
  }

  /**
   * Notes the commit time the push gave (DORA's lead time from the commit); one later than the
   * push's receipt by more than the clock skew allowed is not a commit time anyone can trust.
   */
  private void commitTime(ImagePushed push, Instant received, List<Deployment> recorded) {
    Instant committed = push.committedAt();
    if (committed == null
        || recorded.isEmpty()
        || committed.isAfter(received.plus(PushPlanner.MAX_CLOCK_SKEW))) {
      return;
    }
    engine.ledger().recordCommitTime(recorded.stream().map(Deployment::id).toList(), committed);
  }
}
