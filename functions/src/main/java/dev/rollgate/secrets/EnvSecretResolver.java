package dev.rollgate.secrets;

import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.port.SecretResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Resolves {@code env:NAME} from an environment variable and {@code file:PATH} from a file (a
 * trailing newline removed), as on a laptop or in a container with mounted secrets.
 */
public final class EnvSecretResolver implements SecretResolver {

  private static final Set<String> SCHEMES = Set.of("env", "file");

  private final Function<String, String> environment;

  /** Reads the process environment. */
  public EnvSecretResolver() {
    this(System::getenv);
  }

  /** Reads variables through {@code environment} (null for an unset variable). */
  public EnvSecretResolver(Function<String, String> environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  @Override
  public Set<String> schemes() {
    return SCHEMES;
  }

  /**
   * {@inheritDoc}
   *
   * <p>An empty value counts as absent: {@code NAME=} is how compose files and shells unset a
   * variable, and an empty secret is never what a deployment needs.
   *
   * @throws IllegalArgumentException when the reference's scheme is neither env nor file
   * @throws UncheckedIOException when the file exists but cannot be read
   */
  @Override
  public Optional<String> resolve(SecretRef ref) {
    Objects.requireNonNull(ref, "ref");
    String value =
        switch (ref.scheme()) {
          case "env" -> environment.apply(ref.name());
          case "file" -> readFile(ref);
          default ->
              throw new IllegalArgumentException(
                  "secret reference: its scheme is not handled here (the value is not shown: it"
                      + " may be a literal secret); known schemes: env, file");
        };
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private static String readFile(SecretRef ref) {
    Path path = Path.of(ref.name());
    try {
      return stripTrailingNewlines(Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      // The exception's own message may quote file content (e.g. malformed input), so name only
      // the reference and the kind of problem.
      throw new UncheckedIOException(
          "secret reference '"
              + ref
              + "': cannot read "
              + path.toAbsolutePath()
              + " ("
              + e.getClass().getSimpleName()
              + "); check that the file is readable UTF-8",
          new IOException(e.getClass().getName()));
    }
  }

  private static String stripTrailingNewlines(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  @Override
  public String toString() {
    return "EnvSecretResolver[env, file]";
  }
}
