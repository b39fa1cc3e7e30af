package dev.rollgate.azure.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Container Apps jobs and their executions (Microsoft.App 2025-01-01). Shapes: the job as in
 * azure-rest-api-specs {@code
 * .../Microsoft.App/ContainerApps/stable/2025-01-01/examples/Job_Get.json} and
 * Job_CreateorUpdate.json, the start body and answer as in Job_Start.json (2024-03-01: a
 * JobExecutionTemplate in, a JobExecutionBase {name, id} out), executions as in
 * Job_Execution_Get.json and Job_Executions_Get.json. Invariants: the start template, when given,
 * replaces the job's whole template for that execution (containers and init containers); an
 * execution is named {@code <job>-<7 characters>}; it is Running, then Succeeded or Failed. The
 * fake container does what its env says (ROLLGATE_FAKE_EXIT_CODE, ROLLGATE_FAKE_RUN_MILLIS); an
 * image whose digest starts {@code sha256:badjob} (the marker, for direct API callers;
 * rollgate accepts only hex digests) or {@code sha256:bad10b} ("bad job" in hex) fails.
 */
final class ArmJobs {

  /** One execution. */
  static final class Execution {
    final String name;
    final ObjectNode template;
    final Instant started;
    final Duration runs;
    final boolean fails;
    volatile Instant stopped;

    Execution(String name, ObjectNode template, Instant started, Duration runs, boolean fails) {
      this.name = name;
      this.template = template;
      this.started = started;
      this.runs = runs;
      this.fails = fails;
    }

    String status() {
      if (stopped != null) {
        return "Stopped";
      }
      if (Instant.now().isBefore(started.plus(runs))) {
        return "Running";
      }
      return fails ? "Failed" : "Succeeded";
    }

    Instant ended() {
      return stopped != null ? stopped : started.plus(runs);
    }
  }

  /** One job: the resource as last written, and its executions, oldest first. */
  static final class Job {
    final String id;
    ObjectNode resource;
    final List<Execution> executions = new ArrayList<>();

    Job(String id, ObjectNode resource) {
      this.id = id;
      this.resource = resource;
    }
  }

  private final Map<String, Job> jobs = new LinkedHashMap<>();

  synchronized Job get(String id, String name) {
    Job job = jobs.get(id.toLowerCase(Locale.ROOT));
    if (job == null) {
      throw ArmError.notFound("Microsoft.App/jobs", name);
    }
    return job;
  }

  synchronized boolean put(String id, String name, ObjectNode body) {
    checkContainers(body.path("properties").path("template"), "properties.template");
    ObjectNode resource = body.deepCopy();
    resource.put("id", id).put("name", name).put("type", "Microsoft.App/jobs");
    Job old = jobs.get(id.toLowerCase(Locale.ROOT));
    if (old != null) {
      old.resource = resource;
      return false;
    }
    jobs.put(id.toLowerCase(Locale.ROOT), new Job(id, resource));
    return true;
  }

  synchronized void patch(Job job, ObjectNode body) {
    ObjectNode merged = job.resource.deepCopy();
    Json.mergePatch(merged, body);
    checkContainers(merged.path("properties").path("template"), "properties.template");
    job.resource = merged;
  }

  /** Jobs_Start: an execution of {@code template}, or of the job's own template when empty. */
  synchronized Execution start(Job job, JsonNode body) {
    ObjectNode template =
        body != null && body.has("containers")
            ? ((ObjectNode) body).deepCopy()
            : executionTemplate(job.resource.path("properties").path("template"));
    checkContainers(template, "template");
    long millis = 200;
    boolean fails = false;
    for (JsonNode c : template.path("containers")) {
      String image = c.path("image").asText();
      fails |= image.contains("@sha256:bad10b") || image.contains("@sha256:badjob");
      for (JsonNode env : c.path("env")) {
        String value = env.path("value").asText("");
        switch (env.path("name").asText()) {
          case "ROLLGATE_FAKE_RUN_MILLIS" -> millis = Long.parseLong(value);
          case "ROLLGATE_FAKE_EXIT_CODE" -> fails |= !value.equals("0");
          default -> {}
        }
      }
    }
    String name = job.resource.path("name").asText() + "-" + random7();
    Execution e = new Execution(name, template, Instant.now(), Duration.ofMillis(millis), fails);
    job.executions.add(e);
    return e;
  }

  synchronized Execution execution(Job job, String name) {
    return job.executions.stream()
        .filter(e -> e.name.equals(name))
        .findFirst()
        .orElseThrow(() -> ArmError.notFound("Microsoft.App/jobs/executions", name));
  }

  synchronized ObjectNode view(Job job) {
    ObjectNode r = job.resource.deepCopy();
    ObjectNode props = Json.obj(r, "properties");
    props.put("provisioningState", "Succeeded");
    if (Json.obj(props, "configuration").get("secrets") instanceof ArrayNode secrets) {
      secrets.forEach(s -> ((ObjectNode) s).remove("value"));
    }
    return r;
  }

  /** An execution as Job_Execution_Get answers it. */
  ObjectNode view(Job job, Execution e) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("id", job.id + "/executions/" + e.name);
    r.put("name", e.name);
    r.put("type", "Microsoft.App/jobs/executions");
    ObjectNode p = r.putObject("properties");
    String status = e.status();
    p.put("status", status);
    p.put("startTime", e.started.toString());
    if (!status.equals("Running")) {
      p.put("endTime", e.ended().toString());
    }
    p.set("template", e.template.deepCopy());
    return r;
  }

  /**
   * The JobExecutionTemplate of a job's template: containers' image, name, command, args, env,
   * resources.
   */
  private static ObjectNode executionTemplate(JsonNode template) {
    ObjectNode t = Json.MAPPER.createObjectNode();
    for (String list : List.of("containers", "initContainers")) {
      if (template.has(list)) {
        ArrayNode out = t.putArray(list);
        for (JsonNode c : template.path(list)) {
          ObjectNode o = out.addObject();
          for (String f : List.of("image", "name", "command", "args", "env", "resources")) {
            if (c.has(f)) {
              o.set(f, c.get(f).deepCopy());
            }
          }
        }
      }
    }
    return t;
  }

  private static void checkContainers(JsonNode template, String where) {
    JsonNode containers = template.path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      throw ArmError.badRequest(
          "JobInvalidTemplate", where + ".containers: at least one container is required.");
    }
    for (JsonNode c : containers) {
      if (c.path("image").asText("").isEmpty() || c.path("name").asText("").isEmpty()) {
        throw ArmError.badRequest(
            "JobInvalidTemplate", where + ": each container needs a name and an image.");
      }
    }
  }

  private static String random7() {
    String chars = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      b.append(chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
    }
    return b.toString();
  }
}
