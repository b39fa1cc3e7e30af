package dev.rollgate.assembly;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * rollgate's settings by property name ({@code rollgate.manifest}, {@code rollgate.ledger-url},
 * ...), read from whatever the entry point has: Spring's environment, or the process's environment
 * variables, where {@code rollgate.ledger-url} is {@code ROLLGATE_LEDGER_URL} as Spring binds it.
 */
@FunctionalInterface
public interface Settings {

  /** The value of {@code name}, or null when it is not set (blank counts as not set). */
  String get(String name);

  /** The value of {@code name}, or {@code otherwise} when it is not set. */
  default String get(String name, String otherwise) {
    String value = get(name);
    return value == null ? otherwise : value;
  }

  /**
   * The positive ISO-8601 duration {@code name} (e.g. {@code PT2S}), or {@code otherwise} when it
   * is not set. The adapters' timeouts and poll intervals are read this way.
   *
   * @throws IllegalArgumentException naming the setting, when the value is not a positive duration
   */
  default Duration duration(String name, Duration otherwise) {
    String value = get(name);
    if (value == null) {
      return otherwise;
    }
    Duration d;
    try {
      d = Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + ": not an ISO-8601 duration: '" + value + "'; e.g. PT2S or PT10M");
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + ": must be positive, got '" + value + "'");
    }
    return d;
  }

  /** Settings from a lookup that may answer null or blank for unset names. */
  static Settings of(UnaryOperator<String> lookup) {
    Objects.requireNonNull(lookup, "lookup");
    return name -> {
      String value = lookup.apply(name);
      return value == null || value.isBlank() ? null : value.trim();
    };
  }

  /** System properties first, then environment variables by name and as Spring binds them. */
  static Settings fromProcess() {
    return fromEnvironment(System.getenv(), System::getProperty);
  }

  /** {@code env} read as Spring binds it, after {@code properties}. */
  static Settings fromEnvironment(Map<String, String> env, UnaryOperator<String> properties) {
    return of(
        name -> {
          String value = properties.apply(name);
          if (value == null) {
            value = env.get(name);
          }
          if (value == null) {
            value = env.get(environmentName(name));
          }
          return value;
        });
  }

  /** {@code rollgate.ledger-url} as an environment variable: {@code ROLLGATE_LEDGER_URL}. */
  static String environmentName(String property) {
    return property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }
}
