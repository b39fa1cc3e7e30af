package dev.rollgate.core.manifest;

import dev.rollgate.core.model.ImageRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads an environment's {@code services:}: several services released together, in the order
 * listed, each with its own target, health and optionally the repository it runs at the pushed tag.
 */
final class ServicesParser extends YamlReader {

  private final BiFunction<Object, String, TargetSpec> targets;

  ServicesParser(List<String> problems, BiFunction<Object, String, TargetSpec> targets) {
    super(problems);
    this.targets = targets;
  }

  /** The services, or null when something is wrong (each problem is reported with its path). */
  List<ServiceSpec> services(Object node, String path) {
    if (!(node instanceof List<?> list)) {
      problem(path, "expected a list of services, each { name, target, health, image? }");
      return null;
    }
    if (list.size() < 2) {
      problem(
          path,
          "list at least two services released in order; for one service write target and health"
              + " on the environment instead");
      return null;
    }
    int before = problems.size();
    List<ServiceSpec> out = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String at = path + "[" + i + "]";
      ServiceSpec s = service(list.get(i), at);
      if (s != null && !names.add(s.name())) {
        problem(at + ".name", "duplicate service name '" + s.name() + "'");
      }
      if (s != null) {
        out.add(s);
      }
    }
    return problems.size() == before ? out : null;
  }

  private ServiceSpec service(Object node, String path) {
    var map = map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "name", "target", "health", "image");
    String name = name(map.get("name"), path + ".name");
    TargetSpec target = targets.apply(map.get("target"), path + ".target");
    HealthSpec health = new HealthParser(problems).health(map.get("health"), path + ".health");
    ImageRef image = null;
    String imageText = string(map.get("image"), path + ".image", false);
    if (imageText != null) {
      try {
        image = ImageRef.parse(imageText);
        if (image.tag() != null || image.digest() != null) {
          problem(
              path + ".image",
              "name the repository only (registry/repository): this service runs it at the"
                  + " pushed tag, resolved to a digest when the push arrives; got '"
                  + imageText
                  + "'");
          image = null;
        }
      } catch (IllegalArgumentException e) {
        problem(path + ".image", e.getMessage() + ": '" + imageText + "'");
      }
    }
    if (name == null || target == null || health == null) {
      return null;
    }
    return new ServiceSpec(name, target, health, image, path);
  }
}
