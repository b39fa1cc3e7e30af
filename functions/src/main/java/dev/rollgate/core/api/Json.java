package dev.rollgate.core.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Transition;

/** The JSON shapes rollgate's functions answer with. Never includes a secret. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode deployment(Deployment d) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", d.id());
    n.put("app", d.app());
    n.put("environment", d.environment());
    n.put("phase", d.phase().name());
    n.put("image", d.image().toString());
    n.put("tag", d.image().tag());
    n.put("digest", d.image().digest());
    n.put("requestedBy", d.requestedBy());
    if (d.promotedFrom() != null) {
      n.put("promotedFrom", d.promotedFrom());
    }
    if (d.override()) {
      n.put("override", true);
    }
    n.put("revision", d.revision());
    n.put("previousRevision", d.previousRevision());
    n.put("url", d.serviceUrl());
    n.put("schemaVersion", d.schemaVersion());
    n.put("pushedAt", d.pushedAt().toString());
    n.put("updatedAt", d.updatedAt().toString());
    n.put("detail", d.detail());
    if (d.configurationFault()) {
      n.put("configurationFault", true);
    }
    if (d.isRelease()) {
      // One release of several services: each part with its revision and state, in order.
      var parts = n.putArray("parts");
      for (var p : d.parts()) {
        ObjectNode part = parts.addObject();
        part.put("service", p.service());
        part.put("state", p.state().name());
        part.put("image", p.image().toString());
        part.put("digest", p.image().digest());
        part.put("revision", p.revision());
        part.put("previousRevision", p.previousRevision());
        part.put("url", p.serviceUrl());
        part.put("detail", p.detail());
      }
    }
    if (d.abortRequested()) {
      ObjectNode abort = n.putObject("abort");
      abort.put("by", d.abortRequest().by());
      abort.put("reason", d.abortRequest().reason());
      abort.put("at", d.abortRequest().at().toString());
    }
    if (d.canary() != null) {
      ObjectNode canary = n.putObject("canary");
      canary.put("state", d.canary().state().name());
      canary.put("step", d.canary().step());
      canary.put("steps", d.canary().steps());
      canary.put("share", d.canary().share());
      canary.put("revisionUrl", d.canary().url());
      if (d.canary().stepStartedAt() != null) {
        canary.put("stepStartedAt", d.canary().stepStartedAt().toString());
      }
      canary.put("probes", d.canary().probes());
      canary.put("unhealthy", d.canary().unhealthy());
      if (d.canary().probes() > 0) {
        canary.put("p95Ms", d.canary().p95Millis());
      }
    }
    return n;
  }

  static ObjectNode transition(Transition t) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("seq", t.seq());
    n.put("at", t.at().toString());
    n.put("deployment", t.deploymentId());
    n.put("app", t.app());
    n.put("environment", t.environment());
    n.put("from", t.from() == null ? null : t.from().name());
    n.put("to", t.to().name());
    n.put("actor", t.actor());
    n.put("reason", t.reason());
    return n;
  }

  static FunctionResponse error(int status, String reason, String message) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("error", message);
    n.put("reason", reason);
    return new FunctionResponse(status, n.toString());
  }

  static FunctionResponse ok(int status, ObjectNode body) {
    return new FunctionResponse(status, body.toString());
  }
}
