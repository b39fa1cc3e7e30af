package dev.rollgate.azure;

import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.engine.DeploymentEngine;
import dev.rollgate.core.engine.EngineSettings;
import dev.rollgate.core.engine.Platforms;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.HealthProbe;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.MigrationRunner;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.secrets.EnvSecretResolver;
import dev.rollgate.testing.ScriptedProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * rollgate's engine over a ledger with the Container Apps platform (and, when a job is named, its
 * job runner) for app {@code shop}'s {@code staging}: ACR-style pushes go in, the ledger says how
 * each deployment ended.
 */
final class ContainerAppsEngine {

  private ContainerAppsEngine() {}

  static RollgateApi api(
      Ledger ledger,
      Clock clock,
      ServicePlatform platform,
      MigrationRunner runner,
      String app,
      String job) {
    return api(ledger, clock, platform, runner, app, job, null, ScriptedProbe.alwaysHealthy());
  }

  /**
   * The same engine with {@code strategy.canary} set to {@code canary} (its YAML) and {@code probe}
   * as the health probe, over the Container Apps platform alone.
   */
  static RollgateApi canary(
      Ledger ledger,
      Clock clock,
      ServicePlatform platform,
      String app,
      String canary,
      HealthProbe probe) {
    return api(ledger, clock, platform, null, app, null, canary, probe);
  }

  private static RollgateApi api(
      Ledger ledger,
      Clock clock,
      ServicePlatform platform,
      MigrationRunner runner,
      String app,
      String job,
      String canary,
      HealthProbe probe) {
    StringBuilder yaml =
        new StringBuilder()
            .append("version: 1\n")
            .append("apps:\n")
            .append("  - name: shop\n")
            .append("    image: shopacr.azurecr.io/shop\n")
            .append("    environments:\n")
            .append("      staging:\n")
            .append("        target:\n")
            .append("          platform: containerapps\n")
            .append("          subscription: ")
            .append(ContainerAppsFakeHarness.SUBSCRIPTION)
            .append('\n')
            .append("          resourceGroup: ")
            .append(ContainerAppsFakeHarness.GROUP)
            .append('\n')
            .append("          app: ")
            .append(app)
            .append('\n');
    if (job != null) {
      yaml.append("          job: ")
          .append(job)
          .append('\n')
          .append("        migrations:\n")
          .append(
              "          job: { command: [alembic], args: [upgrade, head], env: { LOG_LEVEL: info } }\n");
    }
    yaml.append(
        "        health: { interval: 1s, successThreshold: 2, failureThreshold: 3, deadline: 120s }\n");
    if (canary != null) {
      yaml.append("        strategy: { canary: ").append(canary).append(" }\n");
    }
    Manifest manifest = ManifestLoader.parse(yaml.toString(), "rollgate.yaml", Path.of("/tmp"));
    EnvSecretResolver secrets = new EnvSecretResolver(Map.<String, String>of()::get);
    DeploymentEngine engine =
        new DeploymentEngine(
            manifest,
            ledger,
            new Platforms(List.of(platform), runner == null ? List.of() : List.of(runner)),
            probe,
            secrets,
            (d, message) -> {},
            clock,
            EngineSettings.defaults());
    return new RollgateApi(engine, secrets, Duration.ofMinutes(5));
  }

  /** A push of {@code tag} at {@code digest}, in the engine's neutral event shape. */
  static FunctionResponse push(RollgateApi api, String tag, String digest, String eventId) {
    return api.imagePushed(
        FunctionRequest.of(
            "{\"repository\":\"shopacr.azurecr.io/shop\",\"tag\":\"%s\",\"digest\":\"%s\",\"id\":\"%s\"}"
                .formatted(tag, digest, eventId)));
  }

  /** A digest the fake plays as a revision whose container crashes. */
  static String bad(int n) {
    return "sha256:bad" + String.format("%061x", n);
  }

  /** A digest the fake plays as a job execution that fails ("bad job" in hex). */
  static String badJob(int n) {
    return "sha256:bad10b" + String.format("%058x", n);
  }
}
