package dev.rollgate.core.manifest;

import dev.rollgate.core.manifest.EnvironmentSpec.DeployMode;
import dev.rollgate.core.model.ImageRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads {@code rollgate.yaml} and validates it completely: every problem is reported at once, each
 * naming its path in the file and what is wrong.
 */
public final class ManifestLoader {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
  private static final Pattern LONG_DURATION = Pattern.compile("(\\d+)(s|m|h|d)");

  private final List<String> problems = new ArrayList<>();

  private ManifestLoader() {}

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
    known(map, "$", "version", "promotion", "apps");
    Object version = map.get("version");
    if (version != null && !Integer.valueOf(1).equals(version)) {
      problem("version", "unsupported manifest version '" + version + "' (this rollgate reads 1)");
    }
    PromotionPolicy promotion = promotion(map.get("promotion"));
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
    return new Manifest(baseDir, promotion, apps);
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
    if (imageText != null) {
      image = ImageRef.parse(imageText);
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
    // The deployment keys keep their documented message; backup is validated on its own below.
    Map<String, Object> withoutBackup = new LinkedHashMap<>(map);
    withoutBackup.remove("backup");
    known(withoutBackup, path, "deploy", "from", "target", "migrations", "health", "rollback");
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
    TargetSpec target = target(map.get("target"), path + ".target");
    MigrationSpec migrations =
        map.get("migrations") == null ? null : migrations(map.get("migrations"), path);
    HealthSpec health = health(map.get("health"), path + ".health");
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
        map.get("backup") == null ? null : backup(map.get("backup"), path, map, migrations);
    if (deploy == null || target == null || health == null) {
      return null;
    }
    return new EnvironmentSpec(name, deploy, from, target, migrations, health, rollback, backup);
  }

  private TargetSpec target(Object node, String path) {
    if (node == null) {
      problem(path, "missing: say where this environment runs (target.platform and its settings)");
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
      if (v instanceof Map || v instanceof List) {
        problem(path + "." + e.getKey(), "expected a single value");
      } else if (v != null) {
        properties.put(e.getKey(), String.valueOf(v));
      }
    }
    return platform == null ? null : new TargetSpec(platform, properties, path);
  }

  private MigrationSpec migrations(Object node, String envPath) {
    String path = envPath + ".migrations";
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "flyway");
    Object flyway = map.get("flyway");
    if (flyway == null) {
      problem(path, "name a migration tool: flyway");
      return null;
    }
    String fpath = path + ".flyway";
    Map<String, Object> f = map(flyway, fpath);
    if (f == null) {
      return null;
    }
    known(f, fpath, "locations", "database");
    List<String> locations = new ArrayList<>();
    Object locs = f.get("locations");
    if (!(locs instanceof List<?> list) || list.isEmpty()) {
      problem(fpath + ".locations", "expected a non-empty list, e.g. [filesystem:db/migration]");
    } else {
      for (int i = 0; i < list.size(); i++) {
        String loc = string(list.get(i), fpath + ".locations[" + i + "]", true);
        if (loc != null && !loc.startsWith("classpath:") && !loc.startsWith("filesystem:")) {
          problem(
              fpath + ".locations[" + i + "]",
              "expected a classpath: or filesystem: location, got '" + loc + "'");
        } else if (loc != null) {
          locations.add(loc);
        }
      }
    }
    SecretRef database = secret(f.get("database"), fpath + ".database", true);
    return database == null ? null : new MigrationSpec("flyway", locations, database);
  }

  private BackupSpec backup(
      Object node, String envPath, Map<String, Object> env, MigrationSpec migrations) {
    String path = envPath + ".backup";
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "database", "schedule", "verifySchedule", "retention", "rpo", "verify");
    SecretRef database = secret(map.get("database"), path + ".database", false);
    if (database == null && map.get("database") == null) {
      if (migrations != null) {
        database = migrations.database();
      } else if (env.get("migrations") == null) {
        problem(
            path + ".database",
            "missing: name the secret holding the database's JDBC URL, e.g. env:SHOP_DB");
      }
    }
    if (env.get("migrations") == null) {
      problem(
          path,
          "needs migrations.flyway in this environment: a restore rebuilds the schema with the"
              + " app's migrations, then loads the data");
    }
    Duration schedule = every(map.get("schedule"), path + ".schedule", BackupSpec.DEFAULT_SCHEDULE);
    Duration verifySchedule = every(map.get("verifySchedule"), path + ".verifySchedule", schedule);
    int retention =
        integer(map.get("retention"), path + ".retention", BackupSpec.DEFAULT_RETENTION);
    if (retention < 1) {
      problem(path + ".retention", "must be at least 1 (how many of the newest backups to keep)");
    }
    Duration rpo = null;
    if (map.get("rpo") == null) {
      problem(
          path + ".rpo",
          "missing: the recovery point objective, e.g. 24h: how old the newest verified backup"
              + " may get");
    } else {
      rpo = longDuration(map.get("rpo"), path + ".rpo");
      if (rpo != null && rpo.compareTo(schedule) < 0) {
        problem(
            path + ".rpo",
            "shorter than the schedule (every "
                + text(schedule)
                + "): the newest verified backup would always be too old");
      }
    }
    List<BackupSpec.VerifyQuery> verify = new ArrayList<>();
    Object verifyNode = map.get("verify");
    if (verifyNode != null && !(verifyNode instanceof List)) {
      problem(path + ".verify", "expected a list of {sql, expect}");
    } else if (verifyNode instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        BackupSpec.VerifyQuery q = verifyQuery(list.get(i), path + ".verify[" + i + "]");
        if (q != null) {
          verify.add(q);
        }
      }
    }
    if (database == null || rpo == null) {
      return null;
    }
    return new BackupSpec(database, schedule, verifySchedule, retention, rpo, verify);
  }

  private BackupSpec.VerifyQuery verifyQuery(Object node, String path) {
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "sql", "expect");
    String sql = string(map.get("sql"), path + ".sql", true);
    String expectText = string(map.get("expect"), path + ".expect", true);
    BackupSpec.Expectation expect = null;
    if (expectText != null) {
      expect = BackupSpec.Expectation.parse(expectText);
      if (expect == null) {
        problem(
            path + ".expect",
            "expected a comparison with a number, quoted, e.g. \"> 0\", \"= 5\", \">= 1\"; got '"
                + expectText
                + "'");
      }
    }
    return sql == null || expect == null ? null : new BackupSpec.VerifyQuery(sql, expect);
  }

  /** {@code every 6h}: the time between runs of a schedule. */
  private Duration every(Object node, String path, Duration dflt) {
    if (node == null) {
      return dflt;
    }
    String text = String.valueOf(node).trim();
    if (!text.startsWith("every ")) {
      problem(path, "expected 'every' and a duration, e.g. every 6h, every 30m, every 1d");
      return dflt;
    }
    Duration d = longDuration(text.substring("every ".length()).trim(), path);
    return d == null ? dflt : d;
  }

  /** A duration in seconds, minutes, hours or days: 30s, 15m, 24h, 7d. */
  private Duration longDuration(Object node, String path) {
    Matcher m = LONG_DURATION.matcher(String.valueOf(node).trim());
    if (!m.matches()) {
      problem(path, "expected a duration like 30m, 6h, 7d, got '" + node + "'");
      return null;
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    if (d.isZero()) {
      problem(path, "must be greater than zero");
      return null;
    }
    return d;
  }

  private static String text(Duration d) {
    long s = d.toSeconds();
    return s % 86400 == 0
        ? s / 86400 + "d"
        : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
  }

  private HealthSpec health(Object node, String path) {
    HealthSpec d = HealthSpec.defaults();
    if (node == null) {
      return d;
    }
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(
        map,
        path,
        "url",
        "expectStatus",
        "json",
        "interval",
        "timeout",
        "successThreshold",
        "failureThreshold",
        "deadline");
    String url = string(map.get("url"), path + ".url", false);
    if (url == null) {
      url = d.url();
    } else if (!url.startsWith("{url}")
        && !url.startsWith("http://")
        && !url.startsWith("https://")) {
      problem(
          path + ".url", "not an absolute http(s) URL nor one starting with {url}: '" + url + "'");
    }
    int status = integer(map.get("expectStatus"), path + ".expectStatus", d.expectStatus());
    if (status < 100 || status > 599) {
      problem(path + ".expectStatus", "not an HTTP status: " + status);
    }
    String jsonField = null;
    String jsonValue = null;
    Object json = map.get("json");
    if (json != null) {
      Map<String, Object> j = map(json, path + ".json");
      if (j != null) {
        known(j, path + ".json", "field", "equals");
        jsonField = string(j.get("field"), path + ".json.field", true);
        jsonValue = string(j.get("equals"), path + ".json.equals", true);
      }
    }
    Duration interval = duration(map.get("interval"), path + ".interval", d.interval());
    Duration timeout = duration(map.get("timeout"), path + ".timeout", d.timeout());
    int successes = integer(map.get("successThreshold"), path + ".successThreshold", 3);
    int failures = integer(map.get("failureThreshold"), path + ".failureThreshold", 3);
    Duration deadline = duration(map.get("deadline"), path + ".deadline", d.deadline());
    if (successes < 1) {
      problem(path + ".successThreshold", "must be at least 1");
    }
    if (failures < 1) {
      problem(path + ".failureThreshold", "must be at least 1");
    }
    if (deadline.compareTo(interval.multipliedBy(successes)) < 0) {
      problem(
          path + ".deadline",
          "shorter than successThreshold x interval ("
              + interval.multipliedBy(successes).toMillis()
              + "ms): verification could never succeed");
    }
    return new HealthSpec(
        url, status, jsonField, jsonValue, interval, timeout, successes, failures, deadline);
  }

  // --- typed accessors that record a problem and return a neutral value -------------------------

  @SuppressWarnings("unchecked")
  private Map<String, Object> map(Object node, String path) {
    if (node instanceof Map<?, ?> m) {
      for (Object k : m.keySet()) {
        if (!(k instanceof String)) {
          problem(path, "keys must be strings, got '" + k + "'");
          return null;
        }
      }
      return (Map<String, Object>) m;
    }
    problem(path, node == null ? "empty: expected a mapping" : "expected a mapping");
    return null;
  }

  private void known(Map<String, Object> map, String path, String... keys) {
    Set<String> allowed = Set.of(keys);
    for (String key : map.keySet()) {
      if (!allowed.contains(key)) {
        problem(
            ("$".equals(path) ? "" : path + ".") + key,
            "unknown key; expected one of " + String.join(", ", keys));
      }
    }
  }

  private String string(Object node, String path, boolean required) {
    if (node == null) {
      if (required) {
        problem(path, "missing");
      }
      return null;
    }
    if (node instanceof Map || node instanceof List) {
      problem(path, "expected a single value");
      return null;
    }
    String s = String.valueOf(node).trim();
    if (s.isEmpty() && required) {
      problem(path, "empty");
      return null;
    }
    return s.isEmpty() ? null : s;
  }

  private String name(Object node, String path) {
    String s = string(node, path, true);
    if (s != null && !NAME.matcher(s).matches()) {
      problem(path, "names are lower-case letters, digits and '-' (at most 63): '" + s + "'");
      return null;
    }
    return s;
  }

  private SecretRef secret(Object node, String path, boolean required) {
    String s = string(node, path, required);
    if (s == null) {
      return null;
    }
    SecretRef ref = SecretRef.parse(s);
    if (ref == null) {
      problem(path, "expected a secret reference scheme:name, e.g. env:MY_SECRET (not the secret)");
    }
    return ref;
  }

  private boolean bool(Object node, String path, boolean dflt) {
    if (node == null) {
      return dflt;
    }
    if (node instanceof Boolean b) {
      return b;
    }
    problem(path, "expected true or false, got '" + node + "'");
    return dflt;
  }

  private int integer(Object node, String path, int dflt) {
    if (node == null) {
      return dflt;
    }
    if (node instanceof Integer i) {
      return i;
    }
    problem(path, "expected a whole number, got '" + node + "'");
    return dflt;
  }

  private Duration duration(Object node, String path, Duration dflt) {
    if (node == null) {
      return dflt;
    }
    Matcher m = DURATION.matcher(String.valueOf(node).trim());
    if (!m.matches()) {
      problem(path, "expected a duration like 500ms, 2s, 1m, got '" + node + "'");
      return dflt;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d =
        switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofSeconds(n);
        };
    if (d.isZero()) {
      problem(path, "must be greater than zero");
      return dflt;
    }
    return d;
  }

  private static String names(List<EnvironmentSpec> envs) {
    return envs.stream().map(EnvironmentSpec::name).toList().toString();
  }

  private void problem(String path, String what) {
    problems.add(path + ": " + what);
  }
}
