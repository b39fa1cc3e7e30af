package dev.rollgate.core.manifest;

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
    CanarySpec canary) {

  /** An environment that releases all at once (no {@code strategy}). */
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
    this(name, deploy, from, target, migrations, health, rollbackOnFailure, backup, dora, null);
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
