package dev.rollgate.core.manifest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of a parsed YAML tree that record a problem (path + what is wrong) and return a
 * neutral value, so that a manifest is validated completely in one pass.
 */
abstract class YamlReader {
  static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
  static final Pattern LONG_DURATION = Pattern.compile("(\\d+)(s|m|h|d)");

  final List<String> problems;

  YamlReader(List<String> problems) {
    this.problems = problems;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> map(Object node, String path) {
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

  void known(Map<String, Object> map, String path, String... keys) {
    Set<String> allowed = Set.of(keys);
    for (String key : map.keySet()) {
      if (!allowed.contains(key)) {
        problem(
            ("$".equals(path) ? "" : path + ".") + key,
            "unknown key; expected one of " + String.join(", ", keys));
      }
    }
  }

  String string(Object node, String path, boolean required) {
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

  String name(Object node, String path) {
    String s = string(node, path, true);
    if (s != null && !NAME.matcher(s).matches()) {
      problem(path, "names are lower-case letters, digits and '-' (at most 63): '" + s + "'");
      return null;
    }
    return s;
  }

  SecretRef secret(Object node, String path, boolean required) {
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

  boolean bool(Object node, String path, boolean dflt) {
    if (node == null) {
      return dflt;
    }
    if (node instanceof Boolean b) {
      return b;
    }
    problem(path, "expected true or false, got '" + node + "'");
    return dflt;
  }

  int integer(Object node, String path, int dflt) {
    if (node == null) {
      return dflt;
    }
    if (node instanceof Integer i) {
      return i;
    }
    problem(path, "expected a whole number, got '" + node + "'");
    return dflt;
  }

  /** A duration in milliseconds, seconds, minutes or hours: 500ms, 2s (the default unit), 1m. */
  Duration duration(Object node, String path, Duration dflt) {
    if (node == null) {
      return dflt;
    }
    Duration d = parse(node, path, DURATION, "500ms, 2s, 1m");
    return d == null ? dflt : d;
  }

  /** A duration in seconds, minutes, hours or days: 30s, 15m, 24h, 7d. */
  Duration longDuration(Object node, String path) {
    return parse(node, path, LONG_DURATION, "30m, 6h, 7d");
  }

  /** A positive duration in the units {@code form} allows; null after reporting a problem. */
  private Duration parse(Object node, String path, Pattern form, String examples) {
    Matcher m = form.matcher(String.valueOf(node).trim());
    if (!m.matches()) {
      problem(path, "expected a duration like " + examples + ", got '" + node + "'");
      return null;
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2) == null ? "s" : m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofSeconds(n);
        };
    if (d.isZero()) {
      problem(path, "must be greater than zero");
      return null;
    }
    return d;
  }

  /** {@code every 6h}: the time between runs of a schedule. */
  Duration every(Object node, String path, Duration dflt) {
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

  static String text(Duration d) {
    long s = d.toSeconds();
    return s % 86400 == 0
        ? s / 86400 + "d"
        : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
  }

  void problem(String path, String what) {
    problems.add(path + ": " + what);
  }
}
