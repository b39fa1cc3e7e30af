package dev.rollgate.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.engine.DeploymentEngine;
import dev.rollgate.core.engine.Promoter;
import dev.rollgate.core.engine.PromotionException;
import dev.rollgate.core.model.AbortRequest;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.core.port.Ledger.AbortOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code abort} function: a person stops a deployment in flight. Authenticated like a promotion
 * (the same token), recorded by the ledger with who asked and why, honoured by the engine at the
 * deployment's next step; a repeated request records nothing more.
 */
final class Aborts {

  /** The longest {@code by} or {@code reason} kept in the ledger. */
  static final int MAX_TEXT = 500;

  private final DeploymentEngine engine;
  private final Promoter promoter;
  private final Duration budget;

  Aborts(DeploymentEngine engine, Promoter promoter, Duration budget) {
    this.engine = engine;
    this.promoter = promoter;
    this.budget = budget;
  }

  FunctionResponse handle(FunctionRequest request, String token) {
    try {
      promoter.authenticate(token);
    } catch (PromotionException e) {
      return switch (e.reason()) {
        case UNAUTHENTICATED -> Json.error(401, "unauthenticated", e.getMessage());
        default -> Json.error(403, "forbidden", e.getMessage());
      };
    }
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(request.body());
    } catch (IOException e) {
      return Json.error(400, "malformed", "body: malformed JSON");
    }
    if (json == null || !json.isObject()) {
      return Json.error(400, "malformed", "$: expected a JSON object");
    }
    String id = text(json, "deployment");
    if (id == null || id.isBlank()) {
      return Json.error(400, "bad-request", "$.deployment: missing: name the deployment's id");
    }
    String by = text(json, "by");
    String reason = text(json, "reason");
    for (String[] field : new String[][] {{"by", by}, {"reason", reason}}) {
      if (field[1] != null && field[1].length() > MAX_TEXT) {
        return Json.error(
            400, "bad-request", "$." + field[0] + ": longer than " + MAX_TEXT + " characters");
      }
    }
    by = by == null || by.isBlank() ? "token holder" : by;
    Optional<AbortOutcome> outcome =
        engine.ledger().requestAbort(id, new AbortRequest(by, reason, engine.clock().now()));
    if (outcome.isEmpty()) {
      return Json.error(404, "not-found", "unknown deployment '" + id + "'");
    }
    Deployment d = outcome.get().deployment();
    if (!outcome.get().recorded() && !d.abortRequested()) {
      return Json.error(409, "not-abortable", notAbortable(d));
    }
    if (!d.phase().isTerminal() && unattended(d)) {
      try {
        d = engine.advance(d, engine.clock().now().plus(budget));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("recorded", outcome.get().recorded());
    if (!outcome.get().recorded()) {
      body.put("note", "an abort of this deployment was recorded before; nothing new recorded");
    }
    body.set("deployment", Json.deployment(d));
    return Json.ok(202, body);
  }

  /**
   * True when no run holds the deployment (its lease is free or expired), as reconcile decides: it
   * is honoured here at once. A run that holds it honours it at its next step, since the request
   * bumped the version its next save checks; a run of this process would share this engine's lease
   * owner, so the lease alone cannot tell.
   */
  private boolean unattended(Deployment d) {
    return engine.ledger().inFlight(engine.clock().now()).stream()
        .anyMatch(f -> f.id().equals(d.id()));
  }

  private static String notAbortable(Deployment d) {
    String name = "deployment " + d.id() + " is " + d.phase();
    if (d.phase() == Phase.ROLLING_BACK || d.needsRollback()) {
      return name + ": it is already restoring what served before; nothing to abort";
    }
    return name + ": it has finished; nothing to abort";
  }

  private static String text(JsonNode json, String field) {
    JsonNode n = json.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}
