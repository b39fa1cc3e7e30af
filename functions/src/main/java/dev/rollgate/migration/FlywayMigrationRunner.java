package dev.rollgate.migration;

import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.manifest.SecretRef;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.MigrationRunner;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * Runs Flyway in process against the app's database: validates what was applied, then applies what
 * is pending, so that an edited or missing migration stops the release before it changes anything.
 */
public final class FlywayMigrationRunner implements MigrationRunner {

  private static final String FILESYSTEM = "filesystem:";
  private static final int MAX_MESSAGE = 600;
  private static final Pattern JDBC_URL = Pattern.compile("jdbc:[^\\s()'\"]+");
  private static final Pattern AUTHORITY =
      Pattern.compile("^jdbc:[\\w:]+?://(?:[^@/?;]*@)?([^/?;]+)");

  // Validation reports migrations that are simply not applied yet; migrate will apply them.
  private static final Set<CoreErrorCode> PENDING =
      Set.of(
          CoreErrorCode.RESOLVED_VERSIONED_MIGRATION_NOT_APPLIED,
          CoreErrorCode.RESOLVED_REPEATABLE_MIGRATION_NOT_APPLIED,
          CoreErrorCode.OUTDATED_REPEATABLE_MIGRATION);

  private final ClassLoader classLoader;

  /** Finds classpath migrations and Flyway's database plugins through this class's loader. */
  public FlywayMigrationRunner() {
    this(FlywayMigrationRunner.class.getClassLoader());
  }

  public FlywayMigrationRunner(ClassLoader classLoader) {
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
  }

  @Override
  public String tool() {
    return "flyway";
  }

  /**
   * Flyway's own view of the database: {@code info()} (which reads the schema history and the
   * release's locations, and creates nothing), its current version and the pending migrations.
   */
  @Override
  public Pending pending(MigrationSpec spec, Context context) {
    String url = null;
    try {
      List<String> locations = resolveLocations(spec.locations(), context);
      url = jdbcUrl(spec.database(), context);
      Flyway flyway =
          Flyway.configure(classLoader)
              .dataSource(url, null, null)
              .locations(locations.toArray(String[]::new))
              .failOnMissingLocations(true)
              .load();
      MigrationInfoService info = flyway.info();
      MigrationInfo current = info.current();
      List<String> pending = new ArrayList<>();
      for (MigrationInfo m : info.pending()) {
        pending.add(
            (m.getVersion() == null ? "repeatable" : m.getVersion().toString())
                + " "
                + m.getDescription()
                + " ("
                + m.getScript()
                + ")");
      }
      return new Pending(
          true,
          current == null || current.getVersion() == null ? null : current.getVersion().toString(),
          pending,
          pending.isEmpty()
              ? "flyway: nothing pending in " + String.join(", ", locations)
              : "flyway: " + pending.size() + " pending in " + String.join(", ", locations));
    } catch (MigrationException e) {
      return Pending.unknown(e.getMessage());
    } catch (FlywayException e) {
      return Pending.unknown(
          "flyway: "
              + (url == null ? e.getMessage() : condense(e.getMessage(), url, spec.database())));
    }
  }

  @Override
  public Result migrate(MigrationSpec spec, Context context) throws MigrationException {
    List<String> locations = resolveLocations(spec.locations(), context);
    String url = jdbcUrl(spec.database(), context);
    try {
      Flyway flyway =
          Flyway.configure(classLoader)
              .dataSource(url, null, null)
              .locations(locations.toArray(String[]::new))
              .validateOnMigrate(true)
              .cleanDisabled(true)
              .failOnMissingLocations(true)
              .load();
      validate(flyway, url, spec.database());
      if (flyway.info().all().length == 0) {
        // An empty location (or an s3: location read without the AWS SDK) reports success with
        // nothing applied: a release that configures migrations and finds none is a mistake.
        throw failure(
            "flyway: no migrations found in "
                + String.join(", ", locations)
                + ": check the locations (and {tag}) in rollgate.yaml");
      }
      MigrateResult result = flyway.migrate();
      if (!result.success) {
        throw failure("flyway: migrate of " + spec.database() + " reported no success");
      }
      MigrationInfo current = flyway.info().current();
      String version =
          current == null || current.getVersion() == null ? null : current.getVersion().toString();
      return new Result(version, result.migrationsExecuted);
    } catch (FlywayException e) {
      boolean transientFault = isConnectionProblem(e);
      String message = "flyway: " + condense(e.getMessage(), url, spec.database());
      if (transientFault) {
        message += "; will retry";
      }
      // The cause's messages may quote the JDBC URL, so the chain is not passed on.
      throw new MigrationException(message, !transientFault, null);
    }
  }

  private static void validate(Flyway flyway, String url, SecretRef database)
      throws MigrationException {
    ValidateResult result = flyway.validateWithResult();
    if (result.validationSuccessful) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (ValidateOutput invalid : result.invalidMigrations) {
      if (invalid.errorDetails == null || !PENDING.contains(invalid.errorDetails.errorCode)) {
        problems.add(
            invalid.errorDetails == null
                ? "migration " + invalid.version + " is invalid"
                : condense(invalid.errorDetails.errorMessage, url, database));
      }
    }
    if (problems.isEmpty() && result.invalidMigrations.isEmpty() && result.errorDetails != null) {
      problems.add(condense(result.errorDetails.errorMessage, url, database));
    }
    if (!problems.isEmpty()) {
      throw failure(
          "flyway: validation of %s failed, nothing applied: %s"
              .formatted(database, abbreviate(String.join("; ", problems))));
    }
  }

  private List<String> resolveLocations(List<String> raw, Context context)
      throws MigrationException {
    if (raw.isEmpty()) {
      throw MigrationException.configuration(
          "migrations.locations is empty; name one, e.g. classpath:db/migration");
    }
    List<String> resolved = new ArrayList<>();
    for (String location : raw) {
      String expanded = expand(location, context);
      if (!expanded.regionMatches(true, 0, FILESYSTEM, 0, FILESYSTEM.length())) {
        resolved.add(expanded);
        continue;
      }
      Path path;
      try {
        path = Path.of(expanded.substring(FILESYSTEM.length()));
      } catch (InvalidPathException e) {
        throw failure(
            "migration location '%s' is not a path: %s".formatted(location, e.getReason()));
      }
      if (!path.isAbsolute() && context.baseDir() != null) {
        path = context.baseDir().resolve(path);
      }
      path = path.toAbsolutePath().normalize();
      if (!Files.isDirectory(path)) {
        throw failure(
            ("migration location '%s' (%s) does not exist or is not a directory; ship the"
                    + " migrations with the release or fix migrations.locations in the manifest")
                .formatted(location, path));
      }
      resolved.add(FILESYSTEM + path);
    }
    return resolved;
  }

  private static String expand(String location, Context context) throws MigrationException {
    ImageRef image = context.image();
    String result = location;
    result = substitute(result, location, "tag", image == null ? null : image.tag());
    result = substitute(result, location, "digest", image == null ? null : image.digest());
    result = substitute(result, location, "app", context.app());
    return substitute(result, location, "environment", context.environment());
  }

  private static String substitute(String text, String location, String name, String value)
      throws MigrationException {
    String placeholder = "{" + name + "}";
    if (!text.contains(placeholder)) {
      return text;
    }
    if (value == null || value.isEmpty()) {
      throw MigrationException.configuration(
          "migration location '%s' uses %s but this release has no %s; push the image with one or remove the placeholder"
              .formatted(location, placeholder, name));
    }
    return text.replace(placeholder, value);
  }

  private static String jdbcUrl(SecretRef ref, Context context) throws MigrationException {
    if (ref == null) {
      throw MigrationException.configuration(
          "migrations.database is not set; name the secret, e.g. env:APP_DATABASE_URL");
    }
    Optional<String> value;
    try {
      value = context.secrets().resolve(ref);
    } catch (IllegalArgumentException e) {
      // A manifest error: no retry. The reference is named only by where it is (a value with an
      // unknown scheme may be a literal secret).
      throw MigrationException.configuration(
          "migrations.database: no installed secret resolver reads this reference's scheme;"
              + " fix the reference in rollgate.yaml");
    } catch (RuntimeException e) {
      throw new MigrationException(
          "migrations.database: could not read secret '%s' (%s); will retry"
              .formatted(ref, e.getClass().getSimpleName()),
          false,
          null);
    }
    if (value.isEmpty()) {
      throw MigrationException.configuration(
          "migrations.database: secret '" + ref + "' is not set; " + howToProvide(ref));
    }
    String url = value.get().trim();
    if (!url.startsWith("jdbc:")) {
      throw MigrationException.configuration(
          "migrations.database: secret '%s' holds no JDBC URL; expected jdbc:postgresql://host/db?user=..."
              .formatted(ref));
    }
    return url;
  }

  private static String howToProvide(SecretRef ref) {
    return switch (ref.scheme()) {
      case "env" -> "set the environment variable " + ref.name() + " to the database's JDBC URL";
      case "file" -> "write the database's JDBC URL to the file " + ref.name();
      default ->
          "store the JDBC URL as '%s' in the %s secret store".formatted(ref.name(), ref.scheme());
    };
  }

  private static boolean isConnectionProblem(Throwable error) {
    if (error instanceof FlywayException fe && fe.getErrorCode() == CoreErrorCode.DB_CONNECTION) {
      return true;
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getClass().getName().startsWith("java.net.")) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // 08: connection exception; 53: insufficient resources (too many connections);
        // 57P0x: the server is shutting down or starting up.
        if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P0")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Flyway's messages are tables over many lines; keep the headline and the database's own words.
   */
  private static String condense(String message, String url, SecretRef ref) {
    if (message == null || message.isBlank()) {
      return "no message";
    }
    String headline = null;
    String sqlState = null;
    String detail = null;
    String lineNumber = null;
    List<String> other = new ArrayList<>();
    for (String raw : message.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty() || line.chars().allMatch(c -> c == '-' || c == '=')) {
        continue;
      }
      String key = line.contains(":") ? line.substring(0, line.indexOf(':')).strip() : "";
      String val = line.contains(":") ? line.substring(line.indexOf(':') + 1).strip() : line;
      if (headline == null) {
        headline = line;
      } else if (key.equals("SQL State")) {
        sqlState = val;
      } else if (key.equals("Message")) {
        detail = val;
      } else if (key.equals("Line")) {
        lineNumber = val;
      } else if (!Set.of("Error Code", "Location", "Statement").contains(key)
          && !line.startsWith("Need more flexibility")) {
        other.add(line);
      }
    }
    StringBuilder out = new StringBuilder(headline);
    if (detail != null) {
      if (!headline.contains(detail)) {
        out.append(": ").append(detail);
      }
      if (sqlState != null) {
        out.append(" (SQL State ").append(sqlState);
        out.append(lineNumber == null ? ")" : ", line " + lineNumber + ")");
      }
    } else if (!other.isEmpty()) {
      out.append(": ").append(String.join(" ", other));
    }
    return abbreviate(redact(out.toString(), url, ref).replaceAll("\\s+", " "));
  }

  /**
   * Flyway and the driver quote the JDBC URL and its host; the URL is the secret, so both give way
   * to the reference that names it.
   */
  private static String redact(String text, String url, SecretRef ref) {
    String out = text.replace(url, ref.toString());
    out = JDBC_URL.matcher(out).replaceAll(Matcher.quoteReplacement(ref.toString()));
    Matcher authority = AUTHORITY.matcher(url);
    if (authority.find()) {
      for (String host :
          List.of(authority.group(1), authority.group(1).replaceFirst(":\\d+$", ""))) {
        out =
            Pattern.compile("(?<![\\w.-])" + Pattern.quote(host) + "(?![\\w-])")
                .matcher(out)
                .replaceAll("<database host>");
      }
    }
    return out.replace(" for user 'null'", "").replaceAll("(?i)(password=)[^;&\\s)]*", "$1***");
  }

  private static MigrationException failure(String message) {
    return new MigrationException(message, true, null);
  }

  private static String abbreviate(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
  }
}
