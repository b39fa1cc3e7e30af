package dev.rollgate.aws;

import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.PlatformException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An ECS target's settings from the manifest: {@code cluster}, {@code service}, {@code container}
 * (whose image a release changes), and optionally {@code region} and {@code url} (the service's
 * stable URL, e.g. its load balancer's, which ECS itself does not know).
 */
record EcsTarget(
    String cluster, String service, String container, String region, String url, String path) {

  static final Set<String> KEYS = Set.of("cluster", "service", "container", "region", "url");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_:/.-]{0,1599}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

  static List<String> validate(TargetSpec target) {
    String p = target.path();
    List<String> problems = new ArrayList<>();
    required(target, "cluster", "the ECS cluster's name or ARN, e.g. 'cluster: prod'", problems);
    required(target, "service", "the ECS service's name or ARN, e.g. 'service: shop'", problems);
    required(
        target,
        "container",
        "the container in the task definition whose image a release changes, e.g. 'container: app'",
        problems);
    String region = target.get("region");
    if (region != null && !REGION.matcher(region).matches()) {
      problems.add(p + ".region: not an AWS region: '" + region + "'; e.g. 'region: eu-west-1'");
    }
    String url = target.get("url");
    if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
      problems.add(
          p
              + ".url: not an absolute http(s) URL: '"
              + url
              + "'; name the service's stable URL, e.g. its load balancer's https://shop.example.com");
    }
    for (String key : target.properties().keySet().stream().sorted().toList()) {
      if (!KEYS.contains(key)) {
        problems.add(
            p
                + "."
                + key
                + ": unknown ECS setting; known: "
                + String.join(", ", KEYS.stream().sorted().toList()));
      }
    }
    return problems;
  }

  /** The target's settings, or a non-retryable fault listing what is wrong with them. */
  static EcsTarget of(TargetSpec target) throws PlatformException {
    List<String> problems = validate(target);
    if (!problems.isEmpty()) {
      throw new PlatformException(String.join("; ", problems), false);
    }
    return new EcsTarget(
        target.get("cluster"),
        target.get("service"),
        target.get("container"),
        target.get("region"),
        target.get("url"),
        target.path());
  }

  /** {@code ecs:cluster/service}, for messages. */
  String display() {
    return "ecs:" + cluster + "/" + service;
  }

  /** {@code service 'shop' in cluster 'prod' (eu-west-1)}, for messages. */
  String describe() {
    return "service '%s' in cluster '%s'%s"
        .formatted(service, cluster, region == null ? "" : " (" + region + ")");
  }

  private static void required(TargetSpec t, String key, String hint, List<String> problems) {
    String value = t.get(key);
    if (value == null || value.isBlank()) {
      problems.add(t.path() + "." + key + ": missing: " + hint);
    } else if (!NAME.matcher(value).matches()) {
      problems.add(t.path() + "." + key + ": not an ECS name or ARN: '" + value + "'; " + hint);
    }
  }
}
