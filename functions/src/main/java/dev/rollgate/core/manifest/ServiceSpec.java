package dev.rollgate.core.manifest;

import dev.rollgate.core.model.ImageRef;
import java.util.Objects;

/**
 * One service of an environment that releases several services together, in the order listed
 * ({@code services:}): each has its own target and health.
 *
 * @param name the service's name in the release (lower-case letters, digits and '-')
 * @param image the repository ({@code registry/repository}, no tag) this service runs at the pushed
 *     tag, or null for the pushed image itself
 * @param path where this service sits in the manifest, for messages
 */
public record ServiceSpec(
    String name, TargetSpec target, HealthSpec health, ImageRef image, String path) {

  public ServiceSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(health, "health");
  }
}
