package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.AppSpec;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.ServicePlatform;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The platforms and migration runners the adapters registered, looked up by the names the manifest
 * uses. The core never lists adapters: whoever assembles the engine passes what is there.
 */
public final class Platforms {

  private final Map<String, ServicePlatform> platforms = new TreeMap<>();
  private final Map<String, MigrationRunner> runners = new TreeMap<>();

  public Platforms(Collection<ServicePlatform> platforms, Collection<MigrationRunner> runners) {
    platforms.forEach(p -> this.platforms.put(p.name(), p));
    runners.forEach(r -> this.runners.put(r.tool(), r));
  }

  public ServicePlatform platform(String name) {
    ServicePlatform p = platforms.get(name);
    if (p == null) {
      throw new IllegalStateException(
          "no platform '" + name + "' is registered; available: " + platforms.keySet());
    }
    return p;
  }

  public MigrationRunner runner(String tool) {
    MigrationRunner r = runners.get(tool);
    if (r == null) {
      throw new IllegalStateException(
          "no migration runner '" + tool + "' is registered; available: " + runners.keySet());
    }
    return r;
  }

  /**
   * Problems with the manifest's targets that only the registered platforms can see: unknown
   * platforms and migration tools, and each platform's own checks of its settings.
   */
  public List<String> validate(Manifest manifest) {
    List<String> problems = new ArrayList<>();
    for (AppSpec app : manifest.apps()) {
      for (EnvironmentSpec env : app.environments()) {
        ServicePlatform p = platforms.get(env.target().platform());
        if (p == null) {
          problems.add(
              env.target().path()
                  + ".platform: unknown platform '"
                  + env.target().platform()
                  + "'; available: "
                  + String.join(", ", platforms.keySet()));
        } else {
          problems.addAll(p.validate(env.target()));
        }
        if (env.migrations() != null && !runners.containsKey(env.migrations().tool())) {
          problems.add(
              env.target().path().replace(".target", ".migrations")
                  + ": no runner for '"
                  + env.migrations().tool()
                  + "' is installed");
        }
      }
    }
    return problems;
  }
}
