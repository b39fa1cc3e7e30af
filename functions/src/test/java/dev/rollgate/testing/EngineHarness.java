package dev.rollgate.testing;

import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import dev.rollgate.core.api.RollgateApi;
import dev.rollgate.core.engine.DeploymentEngine;
import dev.rollgate.core.engine.EngineSettings;
import dev.rollgate.core.engine.Platforms;
import dev.rollgate.core.engine.Reconciler;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestLoader;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.HealthProbe;
import dev.rollgate.core.port.Ledger;
import dev.rollgate.core.port.Notifier;
import dev.rollgate.secrets.EnvSecretResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The whole core wired to fakes of the outside world (in-memory platform, fake migrations, scripted
 * probes, fake clock) over any ledger: what engine tests, ledger ITs and the engine benchmark
 * share.
 */
public final class EngineHarness {

  public static final String TOKEN = "s3cret-promote-token";

  /** The status page's read token, as {@code env:READ_TOKEN} (status.read-token) holds it. */
  public static final String READ_TOKEN = "r3ad-the-status-page";

  /** The secret (or token) of every webhook endpoint in test manifests. */
  public static final String WEBHOOK_SECRET = "It's a Secret to Everybody";

  /** A manifest with {@code apps} apps (shop, app-1, ...) of staging (on push) + production. */
  public static String manifest(int apps) {
    StringBuilder y = new StringBuilder();
    y.append("version: 1\npromotion: { token: env:PROMOTE_TOKEN, allowOverride: true }\napps:\n");
    for (int i = 0; i < apps; i++) {
      String name = i == 0 ? "shop" : "app-" + i;
      y.append(
          """
            - name: %1$s
              image: registry.test/team/%1$s
              environments:
                staging:
                  target: { platform: memory, service: %1$s-staging }
                  migrations: { flyway: { locations: ["filesystem:db"], database: env:SHOP_DB } }
                  health: { interval: 1s, successThreshold: 3, failureThreshold: 3, deadline: 30s }
                production:
                  deploy: on-promotion
                  from: staging
                  target: { platform: memory, service: %1$s-production }
                  health: { interval: 1s, successThreshold: 3, failureThreshold: 3, deadline: 30s }
          """
              .formatted(name));
    }
    return y.toString();
  }

  public final Manifest manifest;
  public final Ledger ledger;
  public final InMemoryPlatform platform;
  public final FakeMigrationRunner migrations;
  public final FakeClock clock;

  /** Image tags (or {@code service:tag}) whose service answers its health checks with 503. */
  public final Set<String> unhealthyTags;

  public final List<String> notifications;

  /** What the engine told the notifier's {@code alert}: {@code app/env subject: message}. */
  public final List<String> alerts = new CopyOnWriteArrayList<>();

  public final DeploymentEngine engine;
  public final RollgateApi api;

  public EngineHarness(Ledger ledger) {
    this(ledger, manifest(1), null);
  }

  public EngineHarness(Ledger ledger, String manifestYaml, HealthProbe probe) {
    this(
        ledger,
        manifestYaml,
        probe,
        new InMemoryPlatform(),
        new FakeMigrationRunner(),
        new FakeClock(),
        ConcurrentHashMap.newKeySet(),
        new CopyOnWriteArrayList<>());
  }

  /**
   * A new process over the same outside world (platform, databases, clock): what a function that
   * starts after a crash sees.
   */
  public EngineHarness restartedOn(Ledger newLedger) {
    return new EngineHarness(
        newLedger, manifestYaml, null, platform, migrations, clock, unhealthyTags, notifications);
  }

  private final String manifestYaml;

  private EngineHarness(
      Ledger ledger,
      String manifestYaml,
      HealthProbe probe,
      InMemoryPlatform platform,
      FakeMigrationRunner migrations,
      FakeClock clock,
      Set<String> unhealthyTags,
      List<String> notifications) {
    this.manifestYaml = manifestYaml;
    this.platform = platform;
    this.migrations = migrations;
    this.clock = clock;
    this.unhealthyTags = unhealthyTags;
    this.notifications = notifications;
    this.manifest = ManifestLoader.parse(manifestYaml, "rollgate.yaml", Path.of("/tmp"));
    this.ledger = ledger;
    HealthProbe health = probe != null ? probe : new ScriptedProbe(this::healthy);
    Notifier notifier =
        new Notifier() {
          @Override
          public void notify(Deployment d, String message) {
            notifications.add(d.phase() + " " + message);
          }

          @Override
          public void alert(String app, String environment, String subject, String message) {
            alerts.add(app + "/" + environment + " " + subject + ": " + message);
          }
        };
    EnvSecretResolver secrets =
        new EnvSecretResolver(
            Map.of(
                    "PROMOTE_TOKEN",
                    TOKEN,
                    "SHOP_DB",
                    "jdbc:postgresql://nowhere/shop",
                    "GITHUB_SECRET",
                    WEBHOOK_SECRET,
                    "HOOK_SECRET",
                    WEBHOOK_SECRET,
                    "ACR_TOKEN",
                    WEBHOOK_SECRET,
                    "DOCKERHUB_TOKEN",
                    WEBHOOK_SECRET,
                    "READ_TOKEN",
                    READ_TOKEN)
                ::get);
    this.engine =
        new DeploymentEngine(
            manifest,
            ledger,
            new Platforms(List.of(platform), List.of(migrations)),
            health,
            secrets,
            notifier,
            clock,
            EngineSettings.defaults());
    this.api = new RollgateApi(engine, secrets, Duration.ofMinutes(5));
  }

  /** Healthy unless the image serving the probed service has an unhealthy tag. */
  private boolean healthy(String url) {
    String service = url.replace("http://", "").replaceAll("\\.memory\\.test.*", "");
    int at = url.indexOf("/revisions/");
    if (at >= 0) {
      // A canary's own URL: judged by the image of that revision, not of what serves.
      String revision = url.substring(at + "/revisions/".length()).replaceAll("/.*", "");
      ImageRef image = platform.image(service, revision);
      String tag = image == null ? null : image.tag();
      return image != null
          && (tag == null
              || !(unhealthyTags.contains(tag) || unhealthyTags.contains(service + ":" + tag)));
    }
    try {
      var serving = platform.describe(target(service));
      String tag = serving.image() == null ? null : serving.image().tag();
      return tag == null
          || !(unhealthyTags.contains(tag) || unhealthyTags.contains(service + ":" + tag));
    } catch (Exception e) {
      return false;
    }
  }

  /** The tag of the image serving {@code service} now, or null. */
  public String servingTag(String service) {
    try {
      var serving = platform.describe(target(service));
      return serving.image() == null ? null : serving.image().tag();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static TargetSpec target(String service) {
    return new TargetSpec("memory", Map.of("service", service), "test.target");
  }

  /** A plain push body for {@code app} with tag {@code tag}, digest n, event id and time. */
  public static String push(String app, String tag, int n, String id, String time) {
    return "{\"repository\":\"registry.test/team/%s\",\"tag\":\"%s\",\"digest\":\"%s\",\"id\":\"%s\"%s}"
        .formatted(
            app, tag, Deployments.digest(n), id, time == null ? "" : ",\"time\":\"" + time + "\"");
  }

  public FunctionResponse imagePushed(String body) {
    return api.imagePushed(FunctionRequest.of(body));
  }

  public FunctionResponse promote(String body, String token) {
    Map<String, String> headers =
        token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
    return api.promote(
        new FunctionRequest(body.getBytes(StandardCharsets.UTF_8), headers, Map.of()));
  }

  /** POST /abort of {@code deploymentId}, asked by {@code by} for {@code reason}. */
  public FunctionResponse abort(String deploymentId, String by, String reason, String token) {
    Map<String, String> headers =
        token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
    String body =
        "{\"deployment\":\"%s\",\"by\":\"%s\",\"reason\":\"%s\"}"
            .formatted(deploymentId, by, reason);
    return api.abort(new FunctionRequest(body.getBytes(StandardCharsets.UTF_8), headers, Map.of()));
  }

  public List<Deployment> reconcile() throws InterruptedException {
    return new Reconciler(engine).run(clock.now().plus(Duration.ofMinutes(5)));
  }

  public List<Deployment> deployments(String app, String environment) {
    return ledger.deployments(app, environment, 1000);
  }

  public Deployment latest(String app, String environment) {
    return deployments(app, environment).get(0);
  }
}
