package dev.rollgate.core.manifest;

import java.util.Map;

/**
 * Where an environment runs: the platform's name and its own coordinates (for the local platform
 * {@code service} and {@code command}; for ECS cluster, service and container; ...).
 *
 * @param path where this target sits in the manifest, for the platform's error messages
 */
public record TargetSpec(String platform, Map<String, String> properties, String path) {

  public TargetSpec {
    properties = Map.copyOf(properties);
  }

  public String get(String key) {
    return properties.get(key);
  }

  /**
   * A short identity for logs and status: {@code platform:workload}, the workload being what the
   * platform's target names it ({@code service} on the local platform, ECS and Cloud Run, {@code
   * app} on Container Apps).
   */
  public String display() {
    String workload = properties.get("service");
    if (workload == null) {
      workload = properties.getOrDefault("app", "?");
    }
    return platform + ":" + workload;
  }
}
