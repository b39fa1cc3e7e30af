package dev.rollgate.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.engine.DeploymentEngine;
import dev.rollgate.core.engine.Promoter;
import dev.rollgate.core.engine.PromotionException;
import dev.rollgate.core.engine.Reconciler;
import dev.rollgate.core.engine.TagResolution;
import dev.rollgate.core.manifest.AppSpec;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.model.ChainCheck;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.model.Transition;
import dev.rollgate.core.port.DigestResolver;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.SecretResolver;
import dev.rollgate.events.DecodeException;
import dev.rollgate.events.EventDecoder;
import dev.rollgate.events.Trigger;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * rollgate's functions in plain Java: {@code imagePushed}, {@code webhook}, {@code promote}, {@code
 * abort}, {@code reconcile} and {@code status}. Every cloud's entry point and the local host call
 * these; none of them throws: bad input is a 4xx with a one-line JSON error.
 */
public final class RollgateApi {

  private final DeploymentEngine engine;
  private final Promoter promoter;
  private final Reconciler reconciler;
  private final Duration budget;
  private final BackupApi backups;
  private final EventDecoder decoder = new EventDecoder();
  private final Deliveries deliveries;
  private final Webhooks webhooks;
  private final Aborts aborts;
  private final Plans plans;
  private final StatusPageAccess statusPage;

  /**
   * @param budget how long one invocation may advance deployments before leaving the rest to {@code
   *     reconcile}
   */
  public RollgateApi(DeploymentEngine engine, SecretResolver secrets, Duration budget) {
    this(engine, secrets, budget, new BackupApi(null));
  }

  /** With backups: {@code status} also says where each environment's backups stand. */
  public RollgateApi(
      DeploymentEngine engine, SecretResolver secrets, Duration budget, BackupApi backups) {
    this(engine, secrets, budget, backups, null);
  }

  /**
   * With backups and a registry client: a push that names a tag but no digest is pinned to the
   * digest {@code registries} resolves the tag to when it arrives (without one, null, such a push
   * is refused with 400 {@code no-digest}).
   */
  public RollgateApi(
      DeploymentEngine engine,
      SecretResolver secrets,
      Duration budget,
      BackupApi backups,
      DigestResolver registries) {
    this(engine, secrets, budget, backups, registries, false);
  }

  /**
   * As above; {@code statusPageOnLoopback}: the host serves 127.0.0.1 only (the local host), so
   * {@code status} serves its page without a read token. Every other entry needs {@code
   * status.read-token} for the page ({@link StatusPageAccess}).
   */
  public RollgateApi(
      DeploymentEngine engine,
      SecretResolver secrets,
      Duration budget,
      BackupApi backups,
      DigestResolver registries,
      boolean statusPageOnLoopback) {
    this.statusPage =
        new StatusPageAccess(
            statusPageOnLoopback, engine.manifest().status(), secrets, engine.clock());
    this.backups = backups;
    this.engine = engine;
    TagResolution tags = new TagResolution(engine.manifest(), secrets, registries);
    this.deliveries = new Deliveries(engine, tags, budget);
    this.plans = new Plans(engine, tags);
    this.webhooks = new Webhooks(engine.manifest(), secrets, engine.clock(), decoder, deliveries);
    this.promoter = new Promoter(engine.manifest(), engine.ledger(), secrets, engine.clock());
    this.reconciler = new Reconciler(engine);
    this.aborts = new Aborts(engine, promoter, budget);
    this.budget = budget;
  }

  /**
   * An image was pushed: decode whatever carried it (any registry's event, any cloud envelope,
   * rollgate's plain format), record the deployments it asks for once, and advance them. Invoked by
   * the cloud (IAM decides who may), so no sender signature is checked here.
   */
  public FunctionResponse imagePushed(FunctionRequest request) {
    Instant received = engine.clock().now();
    List<Trigger> triggers;
    try {
      triggers = decoder.decode(request.body(), request.headers(), received);
    } catch (DecodeException e) {
      return Json.error(400, "malformed", e.getMessage());
    }
    return deliveries.handle(triggers, received);
  }

  /**
   * The internet-facing endpoint {@code /webhook/<name>}: checks the sender as the manifest's
   * {@code webhooks.<name>} says, then decodes, answers handshakes, and deploys pushes. A
   * redelivered event (same key) deploys nothing.
   */
  public FunctionResponse webhook(FunctionRequest request) {
    return webhooks.handle(request);
  }

  /**
   * What an event (any body {@link #imagePushed} takes) would do, without changing anything: which
   * environments it deploys and which are refused and why, the migrations pending, and each
   * target's change field by field; {@code wouldDeploy} says whether anything would happen. Nothing
   * is written to the ledger; see {@link Plans}.
   */
  public FunctionResponse plan(FunctionRequest request) {
    Instant received = engine.clock().now();
    List<Trigger> triggers;
    try {
      triggers = decoder.decode(request.body(), request.headers(), received);
    } catch (DecodeException e) {
      return Json.error(400, "malformed", e.getMessage());
    }
    return plans.plan(triggers, received);
  }

  /**
   * {@link #plan} for callers on the internet (the cloud entries' {@code plan}): the promotion
   * token first, as {@link #promote} and {@link #abort} ask for it (401 without one, 403 when it is
   * wrong or promotion is off), then the same plan. A plan reads the targets' settings and the
   * pending migrations, which are not for anyone who can reach a public URL.
   */
  public FunctionResponse planWithToken(FunctionRequest request) {
    try {
      promoter.authenticate(token(request));
    } catch (PromotionException e) {
      return switch (e.reason()) {
        case UNAUTHENTICATED -> Json.error(401, "unauthenticated", e.getMessage());
        default -> Json.error(403, "forbidden", e.getMessage());
      };
    }
    return plan(request);
  }

  /** Promotes a digest from one environment to another; see {@link Promoter}. */
  public FunctionResponse promote(FunctionRequest request) {
    try {
      promoter.authenticate(token(request));
      JsonNode json;
      try {
        json = Json.MAPPER.readTree(request.body());
      } catch (IOException e) {
        return Json.error(400, "malformed", "body: malformed JSON");
      }
      if (json == null || !json.isObject()) {
        return Json.error(400, "malformed", "$: expected a JSON object");
      }
      JsonNode override = json.path("override");
      if (!override.isMissingNode() && !override.isNull() && !override.isBoolean()) {
        // Only JSON true asks for an override: "true", 1 or "yes" are a caller's mistake.
        return Json.error(
            400,
            "bad-request",
            "$.override: expected true or false, got a " + override.getNodeType());
      }
      Promoter.Request r =
          new Promoter.Request(
              text(json, "app"),
              text(json, "from"),
              text(json, "to"),
              text(json, "digest"),
              text(json, "deployment"),
              override.booleanValue(),
              text(json, "by"),
              request.header("idempotency-key"),
              text(json, "tag"));
      Deployment d = promoter.promote(r);
      Deployment advanced = engine.advance(d, deadline());
      ObjectNode body = Json.MAPPER.createObjectNode();
      body.set("deployment", Json.deployment(advanced));
      return Json.ok(202, body);
    } catch (PromotionException e) {
      return switch (e.reason()) {
        case BAD_REQUEST -> Json.error(400, "bad-request", e.getMessage());
        case UNAUTHENTICATED -> Json.error(401, "unauthenticated", e.getMessage());
        case FORBIDDEN -> Json.error(403, "forbidden", e.getMessage());
        case NOT_FOUND -> Json.error(404, "not-found", e.getMessage());
        case NOT_PROMOTABLE -> Json.error(409, "not-promotable", e.getMessage());
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Json.error(503, "interrupted", "interrupted; reconcile goes on");
    }
  }

  /**
   * Stops a deployment in flight: {@code {"deployment": id, "by": who, "reason": why}} with the
   * promotion token. It ends ABORTED with what served before restored; see {@link Aborts}.
   */
  public FunctionResponse abort(FunctionRequest request) {
    return aborts.handle(request, token(request));
  }

  /** Advances everything in flight, including deployments whose run died. */
  public FunctionResponse reconcile(FunctionRequest request) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode out = body.putArray("deployments");
    try {
      for (Deployment d : reconciler.run(deadline())) {
        out.add(Json.deployment(d));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Json.ok(200, body);
  }

  /**
   * What serves where, what is in flight, recent deployments, the DORA figures over the last 30
   * days (or {@code ?since=12h}); with {@code ?after=N}, also the transitions after sequence number
   * N (the timeline). A browser ({@code Accept: text/html} first) gets the same as a page, and
   * {@code ?link=15m} answers a signed link to it: with the read token on the cloud entries, see
   * {@link StatusPageAccess}.
   */
  public FunctionResponse status(FunctionRequest request) {
    StatusPageAccess.Ask ask = StatusPageAccess.ask(request);
    FunctionResponse refused = statusPage.refusal(request, ask);
    if (refused != null) {
      return refused;
    }
    if (ask == StatusPageAccess.Ask.LINK) {
      return statusPage.link(request);
    }
    Ledger ledger = engine.ledger();
    Duration window;
    try {
      window = DoraStatus.window(request.query().get("since"));
    } catch (IllegalArgumentException e) {
      return Json.error(400, "bad-request", e.getMessage());
    }
    Instant now = engine.clock().now();
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode envs = body.putArray("environments");
    for (AppSpec app : engine.manifest().apps()) {
      for (EnvironmentSpec env : app.environments()) {
        ObjectNode e = envs.addObject();
        e.put("app", app.name());
        e.put("environment", env.name());
        e.put("deploy", env.deploy().yaml());
        e.put("target", env.target().display());
        if (env.isRelease()) {
          ArrayNode services = e.putArray("services");
          env.services()
              .forEach(
                  s ->
                      services
                          .addObject()
                          .put("name", s.name())
                          .put("target", s.target().display()));
        }
        List<Deployment> recent = ledger.deployments(app.name(), env.name(), 10);
        Optional<Deployment> serving = servingOf(recent, ledger, app.name(), env.name());
        e.set("serving", serving.map(Json::deployment).orElse(null));
        ArrayNode inFlight = e.putArray("inFlight");
        ArrayNode recentOut = e.putArray("recent");
        for (Deployment d : recent) {
          if (!d.phase().isTerminal() || d.needsRollback()) {
            inFlight.add(Json.deployment(d));
          }
          ObjectNode r = Json.deployment(d);
          recentOut.add(r);
          if (d.phase() == Phase.ROLLED_BACK || d.phase() == Phase.ROLLBACK_FAILED) {
            // The detail now tells of the rollback; why the release failed is its FAILED step's.
            failure(ledger, d).ifPresent(why -> r.put("failure", why));
          }
        }
        e.set(
            "dora",
            DoraStatus.json(
                ledger.dora(app.name(), env.name(), now.minus(window), now), env.dora()));
      }
    }
    // ?chain=full walks the whole log (verify-ledger); otherwise what changed and a slice of it.
    ledgerStatus(
        body.putObject("ledger"),
        "full".equals(request.query().get("chain")) ? ledger.verifyChain() : ledger.checkChain());
    ArrayNode backupStatus = backups.status();
    if (backupStatus != null) {
      body.set("backups", backupStatus);
    }
    String after = request.query().get("after");
    if (after != null) {
      long seq;
      try {
        seq = Long.parseLong(after);
      } catch (NumberFormatException e) {
        return Json.error(400, "bad-request", "?after: expected a number, got '" + after + "'");
      }
      ArrayNode timeline = body.putArray("timeline");
      List<Transition> transitions = new ArrayList<>(ledger.timeline(seq, 1000));
      transitions.forEach(t -> timeline.add(Json.transition(t)));
    }
    return ask == StatusPageAccess.Ask.PAGE ? StatusPageAccess.page(body) : Json.ok(200, body);
  }

  /** {@code "chain": "intact" | "broken at transition N: why"}, and how many were checked. */
  private static void ledgerStatus(ObjectNode out, ChainCheck chain) {
    out.put("chain", chain.describe());
    out.put("transitions", chain.transitions());
    if (!chain.isIntact()) {
      out.put("brokenAt", chain.brokenAt());
    }
  }

  /** The reason of the deployment's FAILED transition, if it has one. */
  private static Optional<String> failure(Ledger ledger, Deployment d) {
    return ledger.transitions(d.id()).stream()
        .filter(t -> t.to() == Phase.FAILED)
        .map(Transition::reason)
        .reduce((first, last) -> last);
  }

  private static Optional<Deployment> servingOf(
      List<Deployment> recent, Ledger ledger, String app, String env) {
    return recent.stream()
        .filter(d -> d.phase() == Phase.SUCCEEDED)
        .findFirst()
        .or(() -> ledger.lastSucceeded(app, env, null));
  }

  private Instant deadline() {
    return engine.clock().now().plus(budget);
  }

  private static String token(FunctionRequest request) {
    String auth = request.header("authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    return request.header("x-rollgate-token");
  }

  private static String text(JsonNode json, String field) {
    JsonNode n = json.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}
