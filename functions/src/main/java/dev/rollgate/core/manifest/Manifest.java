package dev.rollgate.core.manifest;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated contents of {@code rollgate.yaml}: the apps rollgate deploys, their environments,
 * the promotion policy and the webhook endpoints.
 *
 * @param baseDir the directory relative paths in the manifest are resolved against
 * @param warnings what loads but should change (a deprecated key), each naming its path and the new
 *     form; whoever assembles rollgate logs them
 * @param registries how to reach the registries whose tags are resolved to digests, by host (empty
 *     by default: every registry anonymously over https)
 * @param notifications where messages about deployments and backups go ({@code notifications:})
 * @param status who may read the status page on the cloud entries ({@code status:})
 */
public record Manifest(
    Path baseDir,
    PromotionPolicy promotion,
    List<AppSpec> apps,
    List<WebhookSpec> webhooks,
    List<String> warnings,
    Map<String, RegistrySpec> registries,
    NotificationsSpec notifications,
    StatusSpec status) {

  public Manifest {
    apps = List.copyOf(apps);
    status = status == null ? StatusSpec.NONE : status;
    notifications = notifications == null ? NotificationsSpec.NONE : notifications;
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    registries =
        registries == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(registries));
  }

  public Manifest(
      Path baseDir,
      PromotionPolicy promotion,
      List<AppSpec> apps,
      List<WebhookSpec> webhooks,
      List<String> warnings,
      Map<String, RegistrySpec> registries,
      NotificationsSpec notifications) {
    this(baseDir, promotion, apps, webhooks, warnings, registries, notifications, StatusSpec.NONE);
  }

  public Manifest(
      Path baseDir,
      PromotionPolicy promotion,
      List<AppSpec> apps,
      List<WebhookSpec> webhooks,
      List<String> warnings) {
    this(baseDir, promotion, apps, webhooks, warnings, Map.of(), NotificationsSpec.NONE);
  }

  public Manifest(
      Path baseDir, PromotionPolicy promotion, List<AppSpec> apps, List<WebhookSpec> webhooks) {
    this(baseDir, promotion, apps, webhooks, List.of());
  }

  public Manifest(Path baseDir, PromotionPolicy promotion, List<AppSpec> apps) {
    this(baseDir, promotion, apps, List.of());
  }

  public Optional<WebhookSpec> webhook(String name) {
    return webhooks.stream().filter(w -> w.name().equals(name)).findFirst();
  }

  /** How to reach the registry at {@code host}, when the manifest says. */
  public Optional<RegistrySpec> registry(String host) {
    return Optional.ofNullable(host == null ? null : registries.get(host));
  }

  public Optional<AppSpec> app(String name) {
    return apps.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  public Optional<EnvironmentSpec> environment(String app, String environment) {
    return app(app).flatMap(a -> a.environment(environment));
  }
}
