package dev.rollgate.core.manifest;

import dev.rollgate.core.model.ImageRef;
import java.util.List;
import java.util.Optional;

/**
 * One app: the image repository it follows and its environments, in the order the manifest lists
 * them.
 */
public record AppSpec(String name, ImageRef image, List<EnvironmentSpec> environments) {

  public AppSpec {
    environments = List.copyOf(environments);
  }

  public Optional<EnvironmentSpec> environment(String name) {
    return environments.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * True when a pushed image belongs to this app: same repository, and the same registry when the
   * push names one.
   */
  public boolean follows(String registry, String repository) {
    if (!image.repository().equals(repository)) {
      return false;
    }
    return registry == null || image.registry() == null || image.registry().equals(registry);
  }
}
