package dev.rollgate.core.manifest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads an environment's {@code migrations:}: {@code flyway:} or {@code job:} ({@code ecsTask:}
 * loads as a job, with a deprecation warning). Cloud words stay out: which Flyway location schemes
 * and which job settings a platform accepts is checked at assembly, by what the adapters installed.
 */
final class MigrationParser extends YamlReader {

  /** A Flyway location: a scheme, a colon, and the rest (which scheme is the adapters' say). */
  private static final Pattern LOCATION = Pattern.compile("[a-z][a-z0-9+.-]*:.+");

  private final List<String> warnings;

  MigrationParser(List<String> problems, List<String> warnings) {
    super(problems);
    this.warnings = warnings;
  }

  MigrationSpec migrations(Object node, String envPath) {
    String path = envPath + ".migrations";
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "flyway", "job", "ecsTask");
    long tools = Stream.of("flyway", "job", "ecsTask").filter(k -> map.get(k) != null).count();
    if (tools > 1) {
      problem(path, "name one migration tool: flyway or job");
      return null;
    }
    if (map.get("ecsTask") != null) {
      warnings.add(
          path
              + ".ecsTask: deprecated, loaded as 'job:' (a one-off run of the image on the"
              + " target's platform); write 'job: { command: [...] }' instead");
      return job(map.get("ecsTask"), path + ".ecsTask");
    }
    if (map.get("job") != null) {
      return job(map.get("job"), path + ".job");
    }
    Object flyway = map.get("flyway");
    if (flyway == null) {
      problem(
          path,
          "name a migration tool: flyway, or job (a one-off run of the image on the target's"
              + " platform)");
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
        // Which schemes are readable is the installed adapters' say (checked at assembly).
        if (loc != null && !LOCATION.matcher(loc).matches()) {
          problem(
              fpath + ".locations[" + i + "]",
              "expected a location 'scheme:path', e.g. filesystem:db/migration, got '" + loc + "'");
        } else if (loc != null) {
          locations.add(loc);
        }
      }
    }
    SecretRef database = secret(f.get("database"), fpath + ".database", true);
    return database == null ? null : new MigrationSpec(MigrationSpec.FLYWAY, locations, database);
  }

  /**
   * A one-off job of the release's image: {@code {command: [alembic, upgrade, head], args: [...],
   * env: {NAME: value}, timeout: 10m}}. Its platform checks what it can run.
   */
  private MigrationSpec job(Object node, String path) {
    Map<String, Object> map = map(node, path);
    if (map == null) {
      return null;
    }
    known(map, path, "command", "args", "env", "timeout");
    Object c = map.get("command");
    if (!(c instanceof List<?> list) || list.isEmpty()) {
      problem(path + ".command", "expected a non-empty list, e.g. [alembic, upgrade, head]");
      return null;
    }
    List<String> command = words(list, path + ".command");
    List<String> args = new ArrayList<>();
    Object a = map.get("args");
    if (a instanceof List<?> argList) {
      args = words(argList, path + ".args");
    } else if (a != null) {
      problem(path + ".args", "expected a list, e.g. [--to, latest]");
    }
    Map<String, String> env = new TreeMap<>();
    Object e = map.get("env");
    if (e != null) {
      Map<String, Object> vars = map(e, path + ".env");
      if (vars != null) {
        vars.forEach(
            (name, value) -> {
              if (value instanceof Map || value instanceof List || value == null) {
                problem(path + ".env." + name, "expected a single value");
              } else {
                env.put(name, String.valueOf(value));
              }
            });
      }
    }
    Duration timeout =
        duration(map.get("timeout"), path + ".timeout", MigrationSpec.DEFAULT_JOB_TIMEOUT);
    return MigrationSpec.job(command, args, env, timeout);
  }

  private List<String> words(List<?> list, String path) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String word = string(list.get(i), path + "[" + i + "]", true);
      if (word != null) {
        words.add(word);
      }
    }
    return words;
  }
}
