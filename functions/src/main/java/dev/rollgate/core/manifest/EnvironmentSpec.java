package dev.rollgate.core.manifest;

import java.util.List;
import java.util.Optional;

/**
 * One environment of an app.
 *
 * @param deploy {@code on-push} deploys every push; {@code on-promotion} only what is promoted
 * @param from the environment promotions come from; null means the environment listed before this
 *     one (see {@link AppSpec#promotionSource})
 * @param migrations how to migrate the database before the rollout, or null for none
 * @param rollbackOnFailure restore the previous revision when the deployment fails (default true)
 * @param backup scheduled backups and restore tests of the environment's database, or null for none
 * @param dora the environment's DORA targets, or null for none
 * @param canary the environment's canary strategy ({@code strategy.canary}), or null to release all
 *     at once
 * @param services the services released together in order ({@code services:}), or empty for the one
 *     service of {@code target}; when several, {@code target} and {@code health} are the first
 *     service's (where the app's migration job runs)
 */
public record EnvironmentSpec(
    String name,
    DeployMode deploy,
    String from,
    TargetSpec target,
    MigrationSpec migrations,
    HealthSpec health,
    boolean rollbackOnFailure,
    BackupSpec backup,
    DoraTargets dora,
    CanarySpec canary,
    List<ServiceSpec> services) {

  public EnvironmentSpec {
    services = services == null ? List.of() : List.copyOf(services);
  }

  /** One service that releases all at once, as before {@code strategy} and {@code services}. */
  public EnvironmentSpec(
      String name,
      DeployMode deploy,
      String from,
      TargetSpec target,
      MigrationSpec migrations,
      HealthSpec health,
      boolean rollbackOnFailure,
      BackupSpec backup,
      DoraTargets dora) {
    this(
        name,
        deploy,
        from,
        target,
        migrations,
        health,
        rollbackOnFailure,
        backup,
        dora,
        null,
        List.of());
  }

  /** One service, released all at once or by {@code canary}. */
  public EnvironmentSpec(
      String name,
      DeployMode deploy,
      String from,
      TargetSpec target,
      MigrationSpec migrations,
      HealthSpec health,
      boolean rollbackOnFailure,
      BackupSpec backup,
      DoraTargets dora,
      CanarySpec canary) {
    this(
        name,
        deploy,
        from,
        target,
        migrations,
        health,
        rollbackOnFailure,
        backup,
        dora,
        canary,
        List.of());
  }

  /** True when several services release together, in order ({@code services:}). */
  public boolean isRelease() {
    return !services.isEmpty();
  }

  /** The service named {@code service}, if this environment releases it. */
  public Optional<ServiceSpec> service(String service) {
    return services.stream().filter(s -> s.name().equals(service)).findFirst();
  }

  /** This environment as seen by one of its services: that service's target and health. */
  public EnvironmentSpec forService(ServiceSpec service) {
    return new EnvironmentSpec(
        name,
        deploy,
        from,
        service.target(),
        migrations,
        service.health(),
        rollbackOnFailure,
        backup,
        dora,
        null,
        List.of());
  }

  /** When an environment deploys. */
  public enum DeployMode {
    ON_PUSH("on-push"),
    ON_PROMOTION("on-promotion");

    private final String yaml;

    DeployMode(String yaml) {
      this.yaml = yaml;
    }

    public String yaml() {
      return yaml;
    }
  }
}
