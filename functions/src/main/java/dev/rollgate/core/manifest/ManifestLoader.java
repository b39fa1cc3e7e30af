package dev.rollgate.core.manifest;

import dev.rollgate.core.manifest.EnvironmentSpec.DeployMode;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.events.auth.Provider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads {@code rollgate.yaml} and validates it completely: every problem is reported at once, each
 * naming its path in the file and what is wrong.
 */
public final class ManifestLoader extends YamlReader {

  private final List<String> warnings = new ArrayList<>();

  private ManifestLoader() {
    super(new ArrayList<>());
  }

  /** Loads and validates the manifest at {@code file}. */
  public static Manifest load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ManifestException(
          file.toString(), List.of("cannot read the file: " + e.getMessage()));
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, file.getFileName().toString(), base);
  }

  /** Parses and validates manifest text; {@code source} names it in errors. */
  public static Manifest parse(String text, String source, Path baseDir) {
    Object root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(20);
      root = new Yaml(new SafeConstructor(options)).load(text);
    } catch (YAMLException e) {
      throw new ManifestException(
          source, List.of("not valid YAML: " + e.getMessage().replace('\n', ' ')));
    }
    ManifestLoader loader = new ManifestLoader();
    Manifest manifest = loader.manifest(root, baseDir);
    if (!loader.problems.isEmpty()) {
      throw new ManifestException(source, loader.problems);
    }
    return manifest;
  }

  private Manifest manifest(Object root, Path baseDir) {
    Map<String, Object> map = map(root, "$");
    if (map == null) {
      return null;
    }
    known(
        map,
        "$",
        "version",
        "promotion",
        "webhooks",
        "registries",
        "apps",
        "notifications",
        "status");
    Object version = map.get("version");
    if (version != null && !Integer.valueOf(1).equals(version)) {
      problem("version", "unsupported manifest version '" + version + "' (this rollgate reads 1)");
    }
    PromotionPolicy promotion = promotion(map.get("promotion"));
    List<WebhookSpec> webhooks = webhooks(map.get("webhooks"));
    Map<String, RegistrySpec> registries =
        new RegistryParser(problems).registries(map.get("registries"));
    List<AppSpec> apps = new ArrayList<>();
    Object appsNode = map.get("apps");
    if (appsNode == null) {
      problem("apps", "missing: list the apps rollgate deploys");
    } else if (!(appsNode instanceof List<?> list)) {
      problem("apps", "expected a list of apps");
    } else {
      Set<String> names = new LinkedHashSet<>();
      for (int i = 0; i < list.size(); i++) {
        AppSpec app = app(list.get(i), "apps[" + i + "]");
        if (app != null && !names.add(app.name())) {
          problem("apps[" + i + "].name", "duplicate app name '" + app.name() + "'");
        }
        if (app != null) {
          apps.add(app);
        }
      }
      if (list.isEmpty()) {
        problem("apps", "empty: list at least one app");
      }
    }
    NotificationsSpec notifications =
        new NotificationsParser(problems).notifications(map.get("notifications"), apps);
    return new Manifest(
        baseDir, promotion, apps, webhooks, warnings, registries, notifications, status(map));
  }

  /** {@code status: { read-token: REF }}: the status page's read token on the cloud entries. */
  private StatusSpec status(Map<String, Object> root) {
    if (root.get("status") == null) {
      return StatusSpec.NONE;
    }
    Map<String, Object> map = map(root.get("status"), "status");
    if (map == null) {
      return StatusSpec.NONE;
    }
    known(map, "status", "read-token");
    return new StatusSpec(secret(map.get("read-token"), "status.read-token", true));
  }

  private List<WebhookSpec> webhooks(Object node) {
    List<WebhookSpec> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    Map<String, Object> map = map(node, "webhooks");
    if (map == null) {
      return out;
    }
    for (Map.Entry<String, Object> e : map.entrySet()) {
      String path = "webhooks." + e.getKey();
      if (!NAME.matcher(e.getKey()).matches()) {
        problem(
            path, "endpoint names are lower-case letters, digits and '-': '" + e.getKey() + "'");
      }
      Map<String, Object> w = map(e.getValue(), path);
      if (w == null) {
        continue;
      }
      known(w, path, "verify", "secret");
      String verify = string(w.get("verify"), path + ".verify", false);
      if (verify == null) {
        verify = e.getKey();
      }
      try {
        Provider.parse(verify);
      } catch (IllegalArgumentException ex) {
        problem(
            path + (w.get("verify") == null ? "" : ".verify"),
            "cannot tell how to check this sender ("
                + ex.getMessage()
                + "); name the endpoint after its sender or set verify:");
      }
      SecretRef secret = secret(w.get("secret"), path + ".secret", true);
      if (secret != null) {
        out.add(new WebhookSpec(e.getKey(), verify, secret));
      }
    }
    return out;
  }

  private PromotionPolicy promotion(Object node) {
    if (node == null) {
      return new PromotionPolicy(null, false);
    }
    Map<String, Object> map = map(node, "promotion");
    if (map == null) {
      return null;
    }
    known(map, "promotion", "token", "allowOverride");
    SecretRef token = secret(map.get("token"), "promotion.token", true);
    boolean allowOverride = bool(map.get("allowOverride"), "promotion.allowOverride", false);
    return new PromotionPolicy(token, allowOverride);
  }

  private AppSpec app(Object node, String path) {
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "name", "image", "environments");
    String name = name(map.get("name"), path + ".name");
    ImageRef image = null;
    String imageText = string(map.get("image"), path + ".image", true);
    if (map.get("image") instanceof String raw && !raw.isBlank() && !raw.equals(raw.strip())) {
      imageText = raw; // refused below as written: spaces are not trimmed away silently
    }
    if (imageText != null) {
      try {
        image = ImageRef.parse(imageText);
      } catch (IllegalArgumentException e) {
        problem(path + ".image", e.getMessage() + ": '" + imageText.strip() + "'");
      }
    }
    if (image != null) {
      if (image.tag() != null || image.digest() != null) {
        problem(
            path + ".image",
            "name the repository only (registry/repository), without tag or digest: '"
                + imageText
                + "'");
      }
    }
    List<EnvironmentSpec> environments = new ArrayList<>();
    Object envNode = map.get("environments");
    if (envNode == null) {
      problem(path + ".environments", "missing: an app needs at least one environment");
    } else {
      Map<String, Object> envs = map(envNode, path + ".environments");
      if (envs != null) {
        for (Map.Entry<String, Object> e : envs.entrySet()) {
          EnvironmentSpec env =
              environment(e.getKey(), e.getValue(), path + ".environments." + e.getKey());
          if (env != null) {
            environments.add(env);
          }
        }
        if (envs.isEmpty()) {
          problem(path + ".environments", "empty: an app needs at least one environment");
        }
      }
    }
    for (EnvironmentSpec env : environments) {
      String envPath = path + ".environments." + env.name();
      if (env.from() != null) {
        if (env.from().equals(env.name())) {
          problem(envPath + ".from", "an environment cannot promote from itself");
        } else if (environments.stream().noneMatch(o -> o.name().equals(env.from()))) {
          problem(
              envPath + ".from",
              "unknown environment '" + env.from() + "'; this app has " + names(environments));
        }
      }
      if (env.deploy() == DeployMode.ON_PROMOTION && env.from() == null) {
        problem(
            envPath + ".from", "missing: an on-promotion environment names where it comes from");
      }
    }
    if (name == null || image == null) {
      return null;
    }
    return new AppSpec(name, image, environments);
  }

  private EnvironmentSpec environment(String name, Object node, String path) {
    if (!NAME.matcher(name).matches()) {
      problem(path, "environment names are lower-case letters, digits and '-': '" + name + "'");
    }
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    // services: is read below; the message of an unknown key keeps listing the one-service keys.
    Map<String, Object> others = new LinkedHashMap<>(map);
    others.remove("services");
    known(
        others,
        path,
        "deploy",
        "from",
        "target",
        "migrations",
        "health",
        "rollback",
        "backup",
        "dora",
        "strategy");
    DeployMode deploy = DeployMode.ON_PUSH;
    String deployText = string(map.get("deploy"), path + ".deploy", false);
    if (deployText != null) {
      deploy = null;
      for (DeployMode m : DeployMode.values()) {
        if (m.yaml().equals(deployText)) {
          deploy = m;
        }
      }
      if (deploy == null) {
        problem(path + ".deploy", "expected on-push or on-promotion, got '" + deployText + "'");
      }
    }
    String from = string(map.get("from"), path + ".from", false);
    List<ServiceSpec> services = List.of();
    TargetSpec target;
    if (map.get("services") != null) {
      services = services(map, path);
      target = services == null ? null : services.get(0).target();
    } else {
      target = target(map.get("target"), path + ".target");
    }
    MigrationSpec migrations =
        map.get("migrations") == null
            ? null
            : new MigrationParser(problems, warnings).migrations(map.get("migrations"), path);
    HealthSpec health =
        services == null
            ? null
            : !services.isEmpty()
                ? services.get(0).health()
                : new HealthParser(problems).health(map.get("health"), path + ".health");
    boolean rollback = true;
    Object rollbackNode = map.get("rollback");
    if (rollbackNode != null) {
      Map<String, Object> r = map(rollbackNode, path + ".rollback");
      if (r != null) {
        known(r, path + ".rollback", "onFailure");
        rollback = bool(r.get("onFailure"), path + ".rollback.onFailure", true);
      }
    }
    BackupSpec backup =
        map.get("backup") == null
            ? null
            : new BackupParser(problems).backup(map.get("backup"), path, map, migrations);
    DoraTargets dora =
        map.get("dora") == null ? null : new DoraParser(problems).targets(map.get("dora"), path);
    CanarySpec canary =
        new CanaryParser(problems).strategy(map.get("strategy"), path + ".strategy");
    if (deploy == null || target == null || health == null) {
      return null;
    }
    return new EnvironmentSpec(
        name, deploy, from, target, migrations, health, rollback, backup, dora, canary, services);
  }

  /** {@code services:}, the alternative to one {@code target} and {@code health}; null if wrong. */
  private List<ServiceSpec> services(Map<String, Object> map, String path) {
    boolean clash = false;
    if (map.get("target") != null) {
      problem(
          path + ".target",
          "name either target (one service) or services (several, released in order), not both");
      clash = true;
    }
    if (map.get("health") != null) {
      problem(
          path + ".health",
          "with services, each service has its own health: write it under "
              + path
              + ".services[i]");
      clash = true;
    }
    if (map.get("strategy") != null) {
      problem(
          path + ".strategy",
          "a canary strategy with services is not supported yet: release the services without a"
              + " strategy, or give the canary service an environment of its own");
      clash = true;
    }
    List<ServiceSpec> services =
        new ServicesParser(problems, this::target)
            .services(map.get("services"), path + ".services");
    return clash ? null : services;
  }

  private TargetSpec target(Object node, String path) {
    if (node == null) {
      problem(
          path,
          "missing: say where this environment runs (target.platform and its settings),"
              + " or list services released in order (services:)");
      return null;
    }
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    String platform = string(map.get("platform"), path + ".platform", true);
    Map<String, String> properties = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : map.entrySet()) {
      if (e.getKey().equals("platform")) {
        continue;
      }
      Object v = e.getValue();
      if (v instanceof Map<?, ?> m) {
        // A map of single values (the local platform's env) becomes dotted settings: env.NAME.
        m.forEach(
            (k, sub) -> {
              if (sub instanceof Map || sub instanceof List) {
                problem(path + "." + e.getKey() + "." + k, "expected a single value");
              } else if (sub != null) {
                properties.put(e.getKey() + "." + k, String.valueOf(sub));
              }
            });
      } else if (v instanceof List) {
        problem(path + "." + e.getKey(), "expected a single value");
      } else if (v != null) {
        properties.put(e.getKey(), String.valueOf(v));
      }
    }
    return platform == null ? null : new TargetSpec(platform, properties, path);
  }

  private static String names(List<EnvironmentSpec> envs) {
    return envs.stream().map(EnvironmentSpec::name).toList().toString();
  }
}
