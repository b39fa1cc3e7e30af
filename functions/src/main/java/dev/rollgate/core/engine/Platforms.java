package dev.rollgate.core.engine;

import dev.rollgate.core.manifest.AppSpec;
import dev.rollgate.core.manifest.EnvironmentSpec;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.ServiceSpec;
import dev.rollgate.core.manifest.TargetSpec;
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
  private final Map<String, MigrationRunner> jobRunners = new TreeMap<>();

  public Platforms(Collection<ServicePlatform> platforms, Collection<MigrationRunner> runners) {
    platforms.forEach(p -> this.platforms.put(p.name(), p));
    for (MigrationRunner r : runners) {
      if (MigrationSpec.JOB.equals(r.tool())) {
        if (r.platform() == null) {
          throw new IllegalStateException(
              "the job runner "
                  + r.getClass().getName()
                  + " names no platform; job runners run"
                  + " jobs on one platform: return its target.platform name from platform()");
        }
        jobRunners.put(r.platform(), r);
      } else {
        this.runners.put(r.tool(), r);
      }
    }
  }

  public ServicePlatform platform(String name) {
    ServicePlatform p = platforms.get(name);
    if (p == null) {
      throw new IllegalStateException(
          "no platform '" + name + "' is registered; available: " + platforms.keySet());
    }
    return p;
  }

  /**
   * The runner of {@code env}'s migrations: a job runs on the environment's own platform, so its
   * runner is the one of {@code target.platform}; other tools are looked up by name.
   */
  public MigrationRunner runner(EnvironmentSpec env) {
    MigrationSpec spec = env.migrations();
    MigrationRunner r =
        spec.isJob() ? jobRunners.get(env.target().platform()) : runners.get(spec.tool());
    if (r == null) {
      throw new IllegalStateException(
          spec.isJob()
              ? "no job runner for platform '"
                  + env.target().platform()
                  + "' is registered; platforms that run jobs: "
                  + jobRunners.keySet()
              : "no migration runner '"
                  + spec.tool()
                  + "' is registered; available: "
                  + runners.keySet());
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
        List<TargetSpec> targets =
            env.isRelease()
                ? env.services().stream().map(ServiceSpec::target).toList()
                : List.of(env.target());
        for (TargetSpec target : targets) {
          ServicePlatform p = platforms.get(target.platform());
          if (p == null) {
            problems.add(
                target.path()
                    + ".platform: unknown platform '"
                    + target.platform()
                    + "'; available: "
                    + String.join(", ", platforms.keySet()));
          } else {
            problems.addAll(p.validate(target));
            if (env.canary() != null && !p.splitsTraffic()) {
              problems.add(
                  env.canary().path()
                      + ": platform '"
                      + p.name()
                      + "' cannot split traffic between revisions, so it supports all-at-once"
                      + " releases only: remove strategy.canary (platforms that split traffic here: "
                      + String.join(", ", splitting())
                      + ")");
            }
          }
        }
        if (env.migrations() != null) {
          problems.addAll(migrationProblems(env));
        }
      }
    }
    return problems;
  }

  private List<String> splitting() {
    List<String> names = new ArrayList<>();
    platforms.forEach(
        (name, p) -> {
          if (p.splitsTraffic()) {
            names.add(name);
          }
        });
    return names.isEmpty() ? List.of("none") : names;
  }

  private List<String> migrationProblems(EnvironmentSpec env) {
    MigrationSpec spec = env.migrations();
    String path = env.target().path().replace(".target", ".migrations");
    if (!spec.isJob()) {
      return runners.containsKey(spec.tool())
          ? List.of()
          : List.of(path + ": no runner for '" + spec.tool() + "' is installed");
    }
    MigrationRunner r = jobRunners.get(env.target().platform());
    if (r == null) {
      return List.of(
          path
              + ".job: platform '"
              + env.target().platform()
              + "' runs no jobs here; platforms with a job runner installed: "
              + String.join(", ", jobRunners.keySet())
              + " (or migrate with flyway:)");
    }
    return r.validate(spec, env.target(), path + ".job");
  }
}
