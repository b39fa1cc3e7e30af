package dev.rollgate.events.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options after the command, and the one file. */
final class CliOptions {
  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private String file;

  static CliOptions parse(String[] args) throws UsageException {
    CliOptions options = new CliOptions();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("--")) {
        String name = arg;
        String value;
        int eq = arg.indexOf('=');
        if (eq > 0) {
          name = arg.substring(0, eq);
          value = arg.substring(eq + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new UsageException(arg + " needs a value");
        }
        options.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else if (options.file == null) {
        options.file = arg;
      } else {
        throw new UsageException("one FILE only, got '" + options.file + "' and '" + arg + "'");
      }
    }
    return options;
  }

  void allow(String... names) throws UsageException {
    for (String given : values.keySet()) {
      if (!List.of(names).contains(given)) {
        throw new UsageException("unknown option " + given);
      }
    }
  }

  String file() throws UsageException {
    if (file == null) {
      throw new UsageException("FILE missing (use - for standard input)");
    }
    return file;
  }

  String single(String name) throws UsageException {
    List<String> given = values.getOrDefault(name, List.of());
    if (given.size() > 1) {
      throw new UsageException(name + " given more than once");
    }
    return given.isEmpty() ? null : given.get(0);
  }

  String required(String name) throws UsageException {
    String value = single(name);
    if (value == null) {
      throw new UsageException(name + " missing");
    }
    return value;
  }

  Instant instant(String name, Instant fallback) throws UsageException {
    String value = single(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new UsageException(name + " '" + value + "': not an ISO-8601 instant");
    }
  }

  Map<String, String> headers() throws UsageException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header : values.getOrDefault("--header", List.of())) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new UsageException("--header '" + header + "': expected 'Name: value'");
      }
      headers.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
    }
    return headers;
  }
}
