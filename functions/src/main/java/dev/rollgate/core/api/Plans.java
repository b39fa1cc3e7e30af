package dev.rollgate.core.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.engine.DeploymentEngine;
import dev.rollgate.core.engine.PushPlanner;
import dev.rollgate.core.engine.ReleaseImages;
import dev.rollgate.core.engine.TagResolution;
import dev.rollgate.core.manifest.AppSpec;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.ServiceSpec;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.ReleasePart;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.events.ImagePushed;
import dev.rollgate.events.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an event would do, without changing anything: the same decisions {@link Deliveries} takes
 * ({@link PushPlanner}'s environments and known-bad refusals, the tag resolved at the registry),
 * with the ledger only read: no event key is recorded, no slot is taken. For each environment that
 * would deploy, the migrations its runner finds pending and the change its platform would make.
 */
final class Plans {

  private final DeploymentEngine engine;
  private final PushPlanner planner;
  private final TagResolution tags;
  private final ReleaseImages releases;

  Plans(DeploymentEngine engine, TagResolution tags) {
    this.engine = engine;
    this.planner = new PushPlanner(engine.manifest(), engine.ledger());
    this.tags = tags;
    this.releases = new ReleaseImages(engine.manifest(), tags);
  }

  FunctionResponse plan(List<Trigger> triggers, Instant received) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode events = body.putArray("events");
    ArrayNode environments = body.putArray("environments");
    ArrayNode reasons = body.putArray("reasons");
    boolean wouldDeploy = false;
    for (Trigger t : triggers) {
      ObjectNode event = events.addObject();
      String key = Deliveries.key(t);
      event.put("kind", t.kind());
      event.put("event", key);
      if (!(t instanceof ImagePushed pushed)) {
        reasons.add(key + ": not a deploy trigger (" + t.kind() + ")");
        continue;
      }
      ImagePushed push = pushed;
      Optional<Boolean> seen = engine.ledger().received(List.of(key));
      if (seen.orElse(false)) {
        event.put("duplicate", true);
        reasons.add("event " + key + " was received before: a delivery would deploy nothing");
        continue;
      }
      event.put("duplicate", seen.isPresent() ? false : null);
      String refusal = null;
      if (push.digest() == null) {
        if (!tags.resolves(push)) {
          reasons.add(key + ": no digest for " + push.repository() + ", and no tag resolved");
          continue;
        }
        if (tags.followed(push)) {
          TagResolution.Outcome outcome = tags.resolve(push);
          if (outcome instanceof TagResolution.Unavailable u) {
            reasons.add(key + ": the registry could not be asked now: " + u.reason());
            continue;
          } else if (outcome instanceof TagResolution.Refused r) {
            refusal = r.reason();
          } else if (outcome instanceof TagResolution.Pinned p) {
            push = p.push();
            event.put("resolved", p.note());
          }
        }
      }
      List<Deployment> planned = planner.plan(push, key, received);
      try {
        // A release of several services: each service's image matched by the pushed tag.
        planned = releases.matched(planned, push);
      } catch (ReleaseImages.Unavailable e) {
        reasons.add(key + ": " + e.getMessage() + "; a delivery now would be answered 503");
        continue;
      }
      if (planned.isEmpty()) {
        reasons.add(key + ": no app in rollgate.yaml follows " + push.repository());
      }
      for (Deployment d : planned) {
        ObjectNode e = environments.addObject();
        e.put("app", d.app());
        e.put("environment", d.environment());
        e.put("image", d.image().display());
        String why =
            refusal != null
                ? refusal
                : d.phase() == Phase.REFUSED ? d.detail() : superseded(d).orElse(null);
        if (why != null) {
          e.put(
              "decision", d.phase() == Phase.REFUSED || refusal != null ? "refused" : "superseded");
          e.put("reason", why);
          reasons.add(d.app() + "/" + d.environment() + ": " + why);
          continue;
        }
        e.put("decision", "deploy");
        wouldDeploy = true;
        EnvironmentSpec env = environment(d);
        e.put("target", env.target().display());
        migrations(e.putObject("migrations"), env, d);
        if (d.isRelease()) {
          // In release order: each service's target and the change its platform would make.
          ArrayNode services = e.putArray("services");
          for (ReleasePart part : d.parts()) {
            ServiceSpec service = env.service(part.service()).orElseThrow();
            ObjectNode s = services.addObject();
            s.put("service", part.service());
            s.put("image", part.image().display());
            s.put("target", service.target().display());
            changes(s, service.target(), part.image());
          }
        } else {
          changes(e, env.target(), d.image());
        }
      }
    }
    body.put("wouldDeploy", wouldDeploy);
    return Json.ok(200, body);
  }

  /**
   * Superseded as {@link Ledger#claimNext} would find it: a deployment of a newer image already
   * started here, and an older image never replaces a newer one.
   */
  private Optional<String> superseded(Deployment d) {
    return engine.ledger().deployments(d.app(), d.environment(), 50).stream()
        .filter(o -> o.pushedAt() != null && o.pushedAt().isAfter(d.pushedAt()))
        .filter(
            o ->
                o.phase() != Phase.PENDING
                    && o.phase() != Phase.REFUSED
                    && o.phase() != Phase.SUPERSEDED)
        .findFirst()
        .map(
            o ->
                "superseded: deployment "
                    + o.id()
                    + " ("
                    + o.image().display()
                    + ") of a newer image already started; an older image never replaces a newer"
                    + " one");
  }

  private void migrations(ObjectNode out, EnvironmentSpec env, Deployment d) {
    if (env.migrations() == null) {
      out.put("known", true);
      out.putArray("pending");
      out.put("detail", "no migrations configured");
      return;
    }
    MigrationRunner.Pending p;
    try {
      MigrationRunner runner = engine.platforms().runner(env);
      p =
          runner.pending(
              env.migrations(),
              new MigrationRunner.Context(
                  d.app(),
                  d.environment(),
                  "plan",
                  d.image(),
                  engine.manifest().baseDir(),
                  engine.secrets(),
                  env.target()));
    } catch (RuntimeException ex) {
      p = MigrationRunner.Pending.unknown(ex.getMessage());
    }
    out.put("tool", env.migrations().isJob() ? "job" : env.migrations().tool());
    out.put("known", p.known());
    out.put("current", p.current());
    ArrayNode pending = out.putArray("pending");
    p.migrations().forEach(pending::add);
    out.put("detail", p.detail());
  }

  private void changes(ObjectNode e, TargetSpec target, ImageRef image) {
    ArrayNode changes = e.putArray("changes");
    try {
      ServicePlatform platform = engine.platforms().platform(target.platform());
      for (ServicePlatform.Change c : platform.plan(target, image)) {
        changes.addObject().put("field", c.field()).put("from", c.from()).put("to", c.to());
      }
    } catch (PlatformException | RuntimeException ex) {
      e.put("changesUnknown", "the platform could not say what serves now: " + ex.getMessage());
    }
  }

  private EnvironmentSpec environment(Deployment d) {
    for (AppSpec app : engine.manifest().apps()) {
      if (app.name().equals(d.app())) {
        for (EnvironmentSpec env : app.environments()) {
          if (env.name().equals(d.environment())) {
            return env;
          }
        }
      }
    }
    throw new IllegalStateException("no environment " + d.app() + "/" + d.environment());
  }
}
