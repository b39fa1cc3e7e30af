package dev.rollgate.core.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The validated contents of {@code rollgate.yaml}: the apps rollgate deploys, their environments,
 * and the promotion policy.
 *
 * @param baseDir the directory relative paths in the manifest are resolved against
 */
public record Manifest(Path baseDir, PromotionPolicy promotion, List<AppSpec> apps) {

  public Manifest {
    apps = List.copyOf(apps);
  }

  public Optional<AppSpec> app(String name) {
    return apps.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  public Optional<EnvironmentSpec> environment(String app, String environment) {
    return app(app).flatMap(a -> a.environment(environment));
  }
}
