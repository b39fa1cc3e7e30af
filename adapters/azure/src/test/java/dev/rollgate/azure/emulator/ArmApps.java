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

/**
 * Container Apps and their revisions, as Microsoft.App 2025-01-01 keeps them. Shapes: the app as in
 * azure-rest-api-specs {@code
 * specification/app/resource-manager/Microsoft.App/ContainerApps/stable/2025-01-01/examples/ContainerApps_CreateOrUpdate.json}
 * (and ContainerApps_Get.json, 2024-03-01), revisions as in Revisions_Get.json /
 * Revisions_List.json there. Invariants of the real API played here:
 *
 * <ul>
 *   <li>a revision is named {@code <app>--<suffix>}; a change of the template (anything but {@code
 *       revisionSuffix}) makes a new one, a change of configuration alone does not, so the same
 *       template deployed again makes none; a {@code revisionSuffix} already used with another
 *       template is refused (400);
 *   <li>Single revision mode (the default): the new revision takes all the traffic and the others
 *       are deactivated; Multiple: traffic goes where {@code ingress.traffic} says, by revision
 *       name or {@code latestRevision}, and must add up to 100;
 *   <li>the app's {@code provisioningState} is Succeeded once ARM's operation ended, whatever its
 *       revision does: an image whose digest starts {@code sha256:bad} provisions, then its
 *       container crashes (runningState Failed, healthState Unhealthy, a provisioningError);
 *   <li>a new revision is Provisioning / Activating for {@link #provisionDelay} first, or forever
 *       while {@link #hangProvisioning} is set;
 *   <li>GET never shows secrets' values.
 * </ul>
 */
final class ArmApps {

  /** One revision. */
  static final class Rev {
    final String name;
    final ObjectNode template;
    final Instant created;
    final boolean bad;
    final boolean hangs;
    boolean active = true;

    Rev(String name, ObjectNode template, Instant created, boolean bad, boolean hangs) {
      this.name = name;
      this.template = template;
      this.created = created;
      this.bad = bad;
      this.hangs = hangs;
    }
  }

  /** One app: the resource as last written, and its revisions, oldest first. */
  static final class App {
    final String id;
    ObjectNode resource;
    final List<Rev> revisions = new ArrayList<>();
    boolean operationRunning;

    App(String id, ObjectNode resource) {
      this.id = id;
      this.resource = resource;
    }

    Rev latest() {
      return revisions.isEmpty() ? null : revisions.get(revisions.size() - 1);
    }

    Rev revision(String name) {
      return revisions.stream().filter(r -> r.name.equals(name)).findFirst().orElse(null);
    }
  }

  volatile Duration provisionDelay = Duration.ofMillis(300);
  volatile boolean hangProvisioning;
  private final Map<String, App> apps = new LinkedHashMap<>();

  synchronized App get(String id, String name) {
    App app = apps.get(id.toLowerCase(Locale.ROOT));
    if (app == null) {
      throw ArmError.notFound("Microsoft.App/containerApps", name);
    }
    return app;
  }

  synchronized List<App> all() {
    return List.copyOf(apps.values());
  }

  /** PUT: creates or replaces the app; true when it was created. */
  synchronized boolean put(String id, String name, ObjectNode body) {
    App app = apps.get(id.toLowerCase(Locale.ROOT));
    boolean created = app == null;
    ObjectNode resource = body.deepCopy();
    resource.put("id", id).put("name", name).put("type", "Microsoft.App/containerApps");
    if (created) {
      app = new App(id, resource);
      change(app, resource);
      apps.put(id.toLowerCase(Locale.ROOT), app);
    } else {
      change(app, resource);
    }
    return created;
  }

  /** PATCH: JSON merge patch (RFC 7396) of the app, as ContainerApps_Update is documented. */
  synchronized void patch(App app, ObjectNode body) {
    ObjectNode merged = app.resource.deepCopy();
    Json.mergePatch(merged, body);
    change(app, merged);
  }

  /** Applies {@code resource} as the app's new desired state: revisions, traffic, activity. */
  private void change(App app, ObjectNode resource) {
    ObjectNode props = Json.obj(resource, "properties");
    ObjectNode template = Json.obj(props, "template");
    JsonNode containers = template.path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      throw ArmError.badRequest(
          "ContainerAppInvalidTemplate",
          "properties.template.containers: at least one container is required.");
    }
    for (JsonNode c : containers) {
      if (c.path("name").asText("").isEmpty() || c.path("image").asText("").isEmpty()) {
        throw ArmError.badRequest(
            "ContainerAppInvalidTemplate", "Each container needs a name and an image.");
      }
    }
    String suffix = template.path("revisionSuffix").asText("");
    ObjectNode bare = ArmRevisionRules.withoutSuffix(template);
    Rev latest = app.latest();
    Rev make = null;
    String appName = resource.path("name").asText();
    if (!suffix.isEmpty()) {
      Rev same = app.revision(appName + "--" + suffix);
      if (same != null && !ArmRevisionRules.withoutSuffix(same.template).equals(bare)) {
        // The wording is ours: the specs' examples show no such error.
        throw ArmError.badRequest(
            "ContainerAppRevisionSuffixConflict",
            "Revision with suffix '%s' already exists with a different template; use a new revisionSuffix."
                .formatted(suffix));
      }
      if (same == null) {
        make = revision(appName + "--" + suffix, template);
      }
    } else if (latest == null || !ArmRevisionRules.withoutSuffix(latest.template).equals(bare)) {
      make = revision(appName + "--" + ArmRevisionRules.randomSuffix(), template);
    }
    List<String> names = new ArrayList<>(app.revisions.stream().map(r -> r.name).toList());
    if (make != null) {
      names.add(make.name);
    }
    boolean single = !"Multiple".equalsIgnoreCase(ArmRevisionRules.mode(resource));
    ObjectNode ingress = (ObjectNode) Json.obj(props, "configuration").get("ingress");
    if (!single && ingress != null && ingress.has("traffic")) {
      ArmRevisionRules.checkTraffic(app, (ArrayNode) ingress.get("traffic"), names, make);
    }
    if (make != null) {
      app.revisions.add(make);
      if (single) {
        app.revisions.forEach(r -> r.active = r == app.latest());
      }
    }
    if (single && ingress != null) {
      ArrayNode t = ingress.putArray("traffic");
      t.addObject().put("weight", 100).put("latestRevision", true);
    }
    app.resource = resource;
    app.operationRunning = true;
  }

  private Rev revision(String name, ObjectNode template) {
    String images = template.path("containers").toString();
    return new Rev(
        name, template.deepCopy(), Instant.now(), images.contains("@sha256:bad"), hangProvisioning);
  }

  /** The app as GET answers it: read-only properties computed, secrets' values left out. */
  synchronized ObjectNode view(App app) {
    ObjectNode r = app.resource.deepCopy();
    ObjectNode props = Json.obj(r, "properties");
    String name = r.path("name").asText();
    String fqdn =
        "%s.%s.%s.azurecontainerapps.io"
            .formatted(name, ArmRevisionRules.environment(r), ArmRevisionRules.region(r));
    props.put("provisioningState", app.operationRunning ? "InProgress" : "Succeeded");
    props.put("runningStatus", "Running");
    Rev latest = app.latest();
    props.put("latestRevisionName", latest == null ? null : latest.name);
    Rev ready = null;
    for (Rev rev : app.revisions) {
      if ("Healthy".equals(state(rev)[2])) {
        ready = rev;
      }
    }
    props.put("latestReadyRevisionName", ready == null ? null : ready.name);
    props.put(
        "latestRevisionFqdn",
        latest == null ? null : latest.name + "." + fqdn.substring(name.length() + 1));
    ObjectNode config = Json.obj(props, "configuration");
    if (!config.has("activeRevisionsMode")) {
      config.put("activeRevisionsMode", "Single");
    }
    if (config.get("ingress") instanceof ObjectNode ingress) {
      ingress.put("fqdn", fqdn);
    }
    if (config.get("secrets") instanceof ArrayNode secrets) {
      secrets.forEach(s -> ((ObjectNode) s).remove("value"));
    }
    return r;
  }

  /** A revision as Revisions_Get answers it. */
  synchronized ObjectNode view(App app, Rev rev) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("id", app.id + "/revisions/" + rev.name);
    r.put("name", rev.name);
    r.put("type", "Microsoft.App/containerApps/revisions");
    ObjectNode p = r.putObject("properties");
    p.put("createdTime", rev.created.toString());
    p.put("lastActiveTime", rev.created.toString());
    p.put(
        "fqdn",
        rev.name
            + "."
            + ArmRevisionRules.environment(app.resource)
            + "."
            + ArmRevisionRules.region(app.resource)
            + ".azurecontainerapps.io");
    p.set("template", rev.template.deepCopy());
    p.put("active", rev.active);
    p.put("replicas", rev.active ? 1 : 0);
    p.put("trafficWeight", weights(app).getOrDefault(rev.name, 0));
    String[] s = state(rev);
    p.put("provisioningState", s[0]);
    p.put("runningState", s[1]);
    p.put("healthState", s[2]);
    if (s[3] != null) {
      p.put("provisioningError", s[3]);
    }
    return r;
  }

  /** Traffic weights by revision name, {@code latestRevision} resolved. */
  synchronized Map<String, Integer> weights(App app) {
    Map<String, Integer> w = new LinkedHashMap<>();
    JsonNode traffic =
        app.resource.path("properties").path("configuration").path("ingress").path("traffic");
    for (JsonNode t : traffic) {
      String name =
          t.path("latestRevision").asBoolean(false) && app.latest() != null
              ? app.latest().name
              : t.path("revisionName").asText();
      w.merge(name, t.path("weight").asInt(0), Integer::sum);
    }
    return w;
  }

  /** provisioningState, runningState, healthState, provisioningError (or null). */
  String[] state(Rev rev) {
    if (rev.hangs || Instant.now().isBefore(rev.created.plus(provisionDelay))) {
      return new String[] {"Provisioning", "Activating", "None", null};
    }
    if (!rev.active) {
      return new String[] {"Provisioned", "Stopped", "None", null};
    }
    if (rev.bad) {
      String container = rev.template.path("containers").path(0).path("name").asText();
      return new String[] {
        "Provisioned",
        "Failed",
        "Unhealthy",
        "Container '%s' was terminated with exit code '1' and reason 'ProcessExited' (CrashLoopBackOff)"
            .formatted(container)
      };
    }
    return new String[] {"Provisioned", "Running", "Healthy", null};
  }
}
