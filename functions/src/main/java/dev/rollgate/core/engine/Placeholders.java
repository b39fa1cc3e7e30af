package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.MigrationSpec;
import java.util.Map;
import java.util.Optional;

/** Where an environment's settings use {@code {tag}}: a release without a tag cannot go there. */
final class Placeholders {

  private static final String TAG = "{tag}";

  private Placeholders() {}

  /** The setting that uses {@code {tag}} (its path in the manifest), or empty when none does. */
  static Optional<String> needsTag(String app, EnvironmentSpec env) {
    String base = "apps." + app + ".environments." + env.name();
    MigrationSpec m = env.migrations();
    if (m != null) {
      if (m.locations().stream().anyMatch(l -> l.contains(TAG))) {
        return Optional.of(base + ".migrations." + m.tool() + ".locations");
      }
      if (m.command().stream().anyMatch(c -> c.contains(TAG))) {
        return Optional.of(base + ".migrations." + m.tool() + ".command");
      }
    }
    for (Map.Entry<String, String> p : env.target().properties().entrySet()) {
      if (p.getValue().contains(TAG)) {
        return Optional.of(base + ".target." + p.getKey());
      }
    }
    for (var s : env.services()) {
      for (Map.Entry<String, String> p : s.target().properties().entrySet()) {
        if (p.getValue().contains(TAG)) {
          return Optional.of(s.target().path() + "." + p.getKey());
        }
      }
    }
    return Optional.empty();
  }
}
