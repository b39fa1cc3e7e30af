package dev.rollgate.azure.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Container Apps' rules for revisions and traffic that {@link ArmApps} plays: traffic weights
 * (TrafficWeight in the 2025-01-01 spec: {@code revisionName}, {@code weight}, {@code
 * latestRevision}, {@code label}) name existing, active revisions (or {@code latestRevision}), each
 * 0 to 100, and add up to 100; a revision may stand at weight 0 (a staged canary, reachable at its
 * own {@code fqdn}); Single is the default revision mode; generated suffixes are 7 lower-case
 * letters and digits, as ARM makes them. Refusals are 400 in ARM's error shape ({@link ArmError});
 * their codes and wording are the fake's own, the specs' examples showing none.
 */
final class ArmRevisionRules {

  private ArmRevisionRules() {}

  /** The managed environment's name, from {@code environmentId} / {@code managedEnvironmentId}. */
  static String environment(ObjectNode resource) {
    JsonNode p = resource.path("properties");
    String env = p.path("managedEnvironmentId").asText(p.path("environmentId").asText("fake-env"));
    return env.substring(env.lastIndexOf('/') + 1);
  }

  static void checkTraffic(
      ArmApps.App app, ArrayNode traffic, List<String> names, ArmApps.Rev made) {
    int sum = 0;
    for (JsonNode w : traffic) {
      int weight = w.path("weight").asInt(0);
      if (weight < 0 || weight > 100) {
        throw ArmError.badRequest(
            "ContainerAppInvalidTrafficWeight",
            "Traffic weight %d of '%s' is not between 0 and 100."
                .formatted(weight, w.path("revisionName").asText("latestRevision")));
      }
      sum += weight;
      if (w.path("latestRevision").asBoolean(false)) {
        continue;
      }
      String name = w.path("revisionName").asText("");
      if (!names.contains(name)) {
        throw ArmError.badRequest(
            "ContainerAppInvalidTrafficWeight",
            "Revision '%s' in the traffic weights does not exist.".formatted(name));
      }
      ArmApps.Rev r = app.revision(name);
      if (r != null && !r.active && w.path("weight").asInt(0) > 0) {
        throw ArmError.badRequest(
            "ContainerAppInvalidTrafficWeight",
            "Revision '%s' is not active; activate it before sending it traffic.".formatted(name));
      }
    }
    if (sum != 100) {
      throw ArmError.badRequest(
          "ContainerAppInvalidTrafficWeight",
          "The traffic weights add up to %d, not 100.".formatted(sum));
    }
  }

  static String mode(ObjectNode resource) {
    return resource
        .path("properties")
        .path("configuration")
        .path("activeRevisionsMode")
        .asText("Single");
  }

  static String region(ObjectNode resource) {
    return resource.path("location").asText("westeurope").toLowerCase(Locale.ROOT).replace(" ", "");
  }

  static ObjectNode withoutSuffix(ObjectNode template) {
    ObjectNode t = template.deepCopy();
    t.remove("revisionSuffix");
    return t;
  }

  static String randomSuffix() {
    String chars = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder();
    b.append(chars.charAt(ThreadLocalRandom.current().nextInt(26)));
    for (int i = 0; i < 6; i++) {
      b.append(chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
    }
    return b.toString();
  }
}
