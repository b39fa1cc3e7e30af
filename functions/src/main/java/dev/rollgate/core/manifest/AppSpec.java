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
   * The only environment {@code target} may be promoted from: its {@code from}, or, when it names
   * none, the environment listed before it; empty for a first environment without {@code from},
   * into which nothing is promoted.
   */
  public Optional<String> promotionSource(EnvironmentSpec target) {
    if (target.from() != null) {
      return Optional.of(target.from());
    }
    int at = environments.indexOf(target);
    return at > 0 ? Optional.of(environments.get(at - 1).name()) : Optional.empty();
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
