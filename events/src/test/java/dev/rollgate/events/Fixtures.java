package dev.rollgate.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The payloads under {@code fixtures/} (the module's base directory is the working directory). */
public final class Fixtures {

  /** When every fixture is received in the expected files. */
  public static final Instant RECEIVED = Instant.parse("2024-01-01T00:00:00Z");

  public static final Path ROOT = Path.of("fixtures");

  private Fixtures() {}

  /** Every fixture body, relative to {@link #ROOT}: the verbatim samples, then the constructed. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (String dir : new String[] {"", "constructed/"}) {
      try (Stream<Path> files = Files.list(ROOT.resolve(dir.isEmpty() ? "." : dir))) {
        files
            .map(p -> dir + p.getFileName())
            .filter(name -> name.endsWith(".json"))
            .sorted()
            .forEach(names::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return names;
  }

  public static byte[] body(String name) {
    try {
      return Files.readAllBytes(ROOT.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The headers in {@code <name>.headers} ("Name: value" lines); empty when there is none. */
  public static Map<String, String> headers(String name) {
    Path file = ROOT.resolve(name.replaceAll("\\.json$", ".headers"));
    Map<String, String> headers = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return headers;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return headers;
  }

  public static String text(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
