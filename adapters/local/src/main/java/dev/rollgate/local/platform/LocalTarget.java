package dev.rollgate.local.platform;

import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local target's settings, read from {@code target.*} in the manifest.
 *
 * @param service the service's name, a DNS-label-like word
 * @param template the command line of one revision, with placeholders
 * @param port the stable URL's port, or null to choose one once and keep it
 * @param startTimeout how long a revision may take to accept connections (default 30s)
 * @param env {@code target.env}: variables added to every revision's environment, literal values
 */
record LocalTarget(
    String service, String template, Integer port, Duration startTimeout, Map<String, String> env) {

  /** Where {@code target.env.NAME} arrives in the target's settings. */
  static final String ENV = "env.";

  static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]*)}");
  private static final Set<String> PLACEHOLDERS =
      Set.of("port", "image", "tag", "digest", "revision", "java");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

  /** Problems with {@code target}'s settings, each naming its path in the manifest. */
  static List<String> problems(TargetSpec target) {
    List<String> problems = new ArrayList<>();
    String at = target.path() + ".";
    if (!ProcessPlatform.NAME.equals(target.platform())) {
      problems.add(
          at
              + "platform: expected '"
              + ProcessPlatform.NAME
              + "', got '"
              + target.platform()
              + "'");
    }
    String service = target.get("service");
    if (service == null || service.isBlank()) {
      problems.add(at + "service: missing: name the local service, e.g. 'service: shop'");
    } else if (!NAME.matcher(service).matches()) {
      problems.add(
          at
              + "service: '"
              + service
              + "' is not a valid name: use lower-case letters, digits and '-', at most 63");
    }
    String command = target.get("command");
    if (command == null || command.isBlank()) {
      problems.add(
          at
              + "command: missing: the command line that starts one revision, e.g. '{java}"
              + " demo/sample-service/SampleService.java --port {port} --image {image}"
              + " --release-dir demo/releases/{tag}'");
    } else {
      Matcher m = PLACEHOLDER.matcher(command);
      while (m.find()) {
        if (!PLACEHOLDERS.contains(m.group(1))) {
          problems.add(
              at
                  + "command: unknown placeholder '"
                  + m.group()
                  + "': use {port}, {image}, {tag}, {digest}, {revision} or {java}");
        }
      }
    }
    String port = target.get("port");
    if (port != null && parsePort(port) == null) {
      problems.add(at + "port: expected a port number from 1 to 65535, got '" + port + "'");
    }
    String timeout = target.get("startTimeout");
    if (timeout != null && parseDuration(timeout) == null) {
      problems.add(
          at + "startTimeout: expected a duration such as 30s, 500ms or 2m, got '" + timeout + "'");
    }
    if (target.get("env") != null) {
      problems.add(
          at + "env: expected a map of variable names to values, e.g. 'env: {LOG: debug}'");
    }
    for (String key : new TreeSet<>(target.properties().keySet())) {
      if (!key.startsWith(ENV)) {
        continue;
      }
      String name = key.substring(ENV.length());
      if (!RevisionEnvironment.NAME.matcher(name).matches()) {
        problems.add(
            at
                + key
                + ": not a variable name: use letters, digits and '_', not starting with a digit");
      } else if (RevisionEnvironment.reserved(name)) {
        problems.add(
            at
                + key
                + ": rollgate sets PORT and ROLLGATE_* itself (the revision's port, id and image);"
                + " choose another name");
      }
    }
    return problems;
  }

  /** Reads {@code target}, or explains what is wrong with it. */
  static LocalTarget of(TargetSpec target) throws PlatformException {
    List<String> problems = problems(target);
    if (!problems.isEmpty()) {
      throw new PlatformException(
          "the local platform cannot use this target: " + String.join("; ", problems), false);
    }
    String timeout = target.get("startTimeout");
    String port = target.get("port");
    return new LocalTarget(
        target.get("service"),
        target.get("command").trim(),
        port == null ? null : parsePort(port),
        timeout == null ? DEFAULT_START_TIMEOUT : parseDuration(timeout),
        env(target));
  }

  private static Map<String, String> env(TargetSpec target) {
    Map<String, String> env = new TreeMap<>();
    target
        .properties()
        .forEach(
            (key, value) -> {
              if (key.startsWith(ENV)) {
                env.put(key.substring(ENV.length()), value);
              }
            });
    return env;
  }

  /**
   * The command line of one revision: the template split on whitespace (no shell), each word's
   * placeholders replaced, so that a value with spaces stays one argument.
   */
  static List<String> expand(String template, int port, ImageRef image, String revision) {
    return expand(template, Integer.toString(port), image, revision);
  }

  /**
   * The command line a revision of {@code image} runs, with {@code {port}} and {@code {revision}}
   * left as they are: what differs between two releases, not between two starts of one.
   */
  static String commandLine(String template, ImageRef image) {
    return String.join(" ", expand(template, "{port}", image, "{revision}"));
  }

  private static List<String> expand(
      String template, String port, ImageRef image, String revision) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> words = new ArrayList<>();
    for (String word : template.trim().split("\\s+")) {
      Matcher m = PLACEHOLDER.matcher(word);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        String value =
            switch (m.group(1)) {
              case "port" -> port;
              case "image" -> image.pinned();
              case "tag" -> image.tag() == null ? "latest" : image.tag();
              case "digest" -> image.digest() == null ? "" : image.digest();
              case "revision" -> revision;
              case "java" -> java;
              default -> m.group();
            };
        m.appendReplacement(b, Matcher.quoteReplacement(value));
      }
      m.appendTail(b);
      words.add(b.toString());
    }
    return words;
  }

  private static Integer parsePort(String text) {
    try {
      int port = Integer.parseInt(text.trim());
      return port >= 1 && port <= 65535 ? port : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return null;
    }
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
