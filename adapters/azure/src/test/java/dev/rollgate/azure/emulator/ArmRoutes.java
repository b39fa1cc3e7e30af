package dev.rollgate.azure.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.azure.emulator.ArmFake.Answer;
import dev.rollgate.azure.emulator.ArmFake.Route;
import java.util.List;
import java.util.Map;

/**
 * Microsoft.App's paths (azure-rest-api-specs {@code
 * specification/app/resource-manager/Microsoft.App/ContainerApps/stable/2025-01-01/ContainerApps.json},
 * {@code Jobs.json}, {@code CommonDefinitions.json}), each named by its operationId, and what the
 * fake answers. Changes are answered as the specs' examples do: PUT 201 and PATCH/start 202 with
 * {@code Azure-AsyncOperation} and {@code Location}; lists as {@code {"value": [...]}}.
 */
final class ArmRoutes {

  private static final String OPS = "containerappoperationstatuses";

  private final ArmFake fake;
  private final String base;

  ArmRoutes(ArmFake fake, String base) {
    this.fake = fake;
    this.base = base;
  }

  /** The spec's operationId for a request, or {@code Unknown}. */
  static String operation(String method, List<String> s) {
    Route r = new Route(method, s, null);
    if (s.size() == 8 && "locations".equalsIgnoreCase(r.at(4))) {
      return OPS.equals(r.lower(6)) ? "OperationStatus" : "OperationResult";
    }
    if (s.size() < 8
        || !"resourcegroups".equals(r.lower(2))
        || !"microsoft.app".equals(r.lower(5))) {
      return "Unknown";
    }
    String type = r.lower(6);
    String rest =
        String.join(
            "/",
            s.subList(8, s.size()).stream()
                .map(
                    p ->
                        p.matches("(?i)revisions|executions|start|stop|activate|deactivate")
                            ? p.toLowerCase()
                            : "*")
                .toList());
    String key = method + " " + type + (rest.isEmpty() ? "" : "/" + rest);
    return switch (key) {
      case "GET containerapps" -> "ContainerApps_Get";
      case "PUT containerapps" -> "ContainerApps_CreateOrUpdate";
      case "PATCH containerapps" -> "ContainerApps_Update";
      case "GET containerapps/revisions" -> "ContainerAppsRevisions_ListRevisions";
      case "GET containerapps/revisions/*" -> "ContainerAppsRevisions_GetRevision";
      case "POST containerapps/revisions/*/activate" -> "ContainerAppsRevisions_ActivateRevision";
      case "POST containerapps/revisions/*/deactivate" ->
          "ContainerAppsRevisions_DeactivateRevision";
      case "GET jobs" -> "Jobs_Get";
      case "PUT jobs" -> "Jobs_CreateOrUpdate";
      case "PATCH jobs" -> "Jobs_Update";
      case "POST jobs/start" -> "Jobs_Start";
      case "GET jobs/executions" -> "JobsExecutions_List";
      case "GET jobs/executions/*" -> "JobExecution";
      case "POST jobs/executions/*/stop" -> "Jobs_StopExecution";
      default -> "Unknown";
    };
  }

  Answer answer(Route r, JsonNode body) {
    List<String> s = r.segments();
    switch (r.operation()) {
      case "OperationStatus" -> {
        return new Answer(200, fake.operations.status(fake.operations.get(r.at(7))), retry());
      }
      case "OperationResult" -> {
        ArmOperations.Op op = fake.operations.get(r.at(7));
        if (!fake.operations.ended(op)) {
          return new Answer(
              202,
              null,
              Map.of(
                  "Location",
                  base + "/" + String.join("/", s) + "?api-version=" + ArmFake.API_VERSION,
                  "Retry-After",
                  "1"));
        }
        return new Answer(200, op.result == null ? null : op.result.get(), Map.of());
      }
      case "Unknown" ->
          throw new ArmError(
              404,
              "NoRegisteredProviderFound",
              "The fake does not serve " + r.method() + " /" + String.join("/", s));
      default -> {}
    }
    String sub = r.at(1);
    String group = r.at(3);
    String name = r.at(7);
    return r.lower(6).equals("containerapps")
        ? app(r, body, ArmFake.appId(sub, group, name), name, sub)
        : job(r, body, ArmFake.jobId(sub, group, name), name, sub);
  }

  private Answer app(Route r, JsonNode body, String id, String name, String sub) {
    ArmApps apps = fake.apps;
    switch (r.operation()) {
      case "ContainerApps_CreateOrUpdate" -> {
        boolean created = apps.put(id, name, object(body));
        ArmApps.App app = apps.get(id, name);
        ArmOperations.Op op = fake.operations.begin(() -> done(app), () -> apps.view(app));
        return new Answer(created ? 201 : 200, apps.view(app), async(sub, op, false));
      }
      case "ContainerApps_Get" -> {
        return new Answer(200, apps.view(apps.get(id, name)), Map.of());
      }
      case "ContainerApps_Update" -> {
        ArmApps.App app = apps.get(id, name);
        apps.patch(app, object(body));
        ArmOperations.Op op = fake.operations.begin(() -> done(app), () -> apps.view(app));
        return new Answer(202, null, async(sub, op, true));
      }
      default -> {}
    }
    ArmApps.App app = apps.get(id, name);
    if (r.operation().equals("ContainerAppsRevisions_ListRevisions")) {
      ObjectNode list = Json.MAPPER.createObjectNode();
      ArrayNode value = list.putArray("value");
      synchronized (apps) {
        app.revisions.forEach(rev -> value.add(apps.view(app, rev)));
      }
      return new Answer(200, list, Map.of());
    }
    String revision = r.at(9);
    ArmApps.Rev rev;
    synchronized (apps) {
      rev = app.revision(revision);
    }
    if (rev == null) {
      throw ArmError.notFound("Microsoft.App/containerApps/revisions", revision);
    }
    switch (r.operation()) {
      case "ContainerAppsRevisions_ActivateRevision",
          "ContainerAppsRevisions_DeactivateRevision" -> {
        synchronized (apps) {
          boolean on = r.operation().endsWith("_ActivateRevision");
          if (!on && apps.weights(app).getOrDefault(revision, 0) > 0) {
            throw ArmError.badRequest(
                "ContainerAppRevisionHasTraffic",
                "Revision '%s' receives traffic and cannot be deactivated.".formatted(revision));
          }
          rev.active = on;
        }
        return new Answer(200, null, Map.of());
      }
      default -> {
        return new Answer(200, apps.view(app, rev), Map.of());
      }
    }
  }

  private Answer job(Route r, JsonNode body, String id, String name, String sub) {
    ArmJobs jobs = fake.jobs;
    switch (r.operation()) {
      case "Jobs_CreateOrUpdate" -> {
        boolean created = jobs.put(id, name, object(body));
        ArmJobs.Job job = jobs.get(id, name);
        ArmOperations.Op op = fake.operations.begin(null, () -> jobs.view(job));
        return new Answer(created ? 201 : 200, jobs.view(job), async(sub, op, false));
      }
      case "Jobs_Get" -> {
        return new Answer(200, jobs.view(jobs.get(id, name)), Map.of());
      }
      case "Jobs_Update" -> {
        ArmJobs.Job job = jobs.get(id, name);
        jobs.patch(job, object(body));
        ArmOperations.Op op = fake.operations.begin(null, () -> jobs.view(job));
        return new Answer(202, null, async(sub, op, true));
      }
      case "Jobs_Start" -> {
        ArmJobs.Job job = jobs.get(id, name);
        ArmJobs.Execution e = jobs.start(job, body);
        ObjectNode base =
            Json.MAPPER
                .createObjectNode()
                .put("name", e.name)
                .put("id", job.id + "/executions/" + e.name);
        ArmOperations.Op op = fake.operations.begin(null, () -> base);
        return new Answer(202, base, async(sub, op, true));
      }
      case "JobsExecutions_List" -> {
        ArmJobs.Job job = jobs.get(id, name);
        ObjectNode list = Json.MAPPER.createObjectNode();
        ArrayNode value = list.putArray("value");
        synchronized (jobs) {
          job.executions.forEach(e -> value.add(jobs.view(job, e)));
        }
        return new Answer(200, list, Map.of());
      }
      case "JobExecution" -> {
        ArmJobs.Job job = jobs.get(id, name);
        return new Answer(200, jobs.view(job, jobs.execution(job, r.at(9))), Map.of());
      }
      case "Jobs_StopExecution" -> {
        ArmJobs.Job job = jobs.get(id, name);
        ArmJobs.Execution e = jobs.execution(job, r.at(9));
        if (e.status().equals("Running")) {
          e.stopped = java.time.Instant.now();
        }
        return new Answer(200, null, Map.of());
      }
      default -> throw new IllegalStateException(r.operation());
    }
  }

  private static void done(ArmApps.App app) {
    app.operationRunning = false;
  }

  /** Azure-AsyncOperation (and, for 202, Location), both polled after Retry-After: 1. */
  private Map<String, String> async(String sub, ArmOperations.Op op, boolean location) {
    String at = base + "/subscriptions/" + sub + "/providers/Microsoft.App/locations/westeurope/";
    String status =
        at + "containerappOperationStatuses/" + op.id + "?api-version=" + ArmFake.API_VERSION;
    String result =
        at + "containerappOperationResults/" + op.id + "?api-version=" + ArmFake.API_VERSION;
    return location
        ? Map.of("Azure-AsyncOperation", status, "Location", result, "Retry-After", "1")
        : Map.of("Azure-AsyncOperation", status, "Retry-After", "1");
  }

  private static Map<String, String> retry() {
    return Map.of("Retry-After", "1");
  }

  private static ObjectNode object(JsonNode body) {
    if (!(body instanceof ObjectNode o)) {
      throw ArmError.badRequest(
          "InvalidRequestContent", "The request content must be a JSON object.");
    }
    return o;
  }
}
