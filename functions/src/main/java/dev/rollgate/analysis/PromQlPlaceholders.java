package dev.rollgate.analysis;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The canary's values put into a PromQL query: {@code {revision}}, {@code {service}}, {@code {app}}
 * and {@code {environment}} are replaced, each escaped as the inside of a PromQL string literal in
 * double quotes (the query writes them, e.g. {@code revision="{revision}"}), so that a value cannot
 * end the literal and change the query. Every other brace is PromQL's own (label matchers) and
 * stays.
 */
final class PromQlPlaceholders {

  static final List<String> NAMES = List.of("revision", "service", "app", "environment");

  private PromQlPlaceholders() {}

  /** The query with its placeholders replaced. */
  static String expand(String query, Map<String, String> vars) {
    String out = query;
    for (String name : NAMES) {
      String value = vars.get(name);
      if (value != null) {
        out = out.replace("{" + name + "}", escape(value));
      }
    }
    return out;
  }

  /** A placeholder the query uses and {@code vars} has no value for, if any. */
  static Optional<String> missing(String query, Map<String, String> vars) {
    return NAMES.stream()
        .filter(n -> query.contains("{" + n + "}") && vars.get(n) == null)
        .findFirst();
  }

  /** {@code value} escaped for the inside of a double-quoted PromQL string (Go's escapes). */
  static String escape(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
