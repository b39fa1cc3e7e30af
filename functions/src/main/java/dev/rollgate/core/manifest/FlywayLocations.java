package dev.rollgate.core.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the manifest's Flyway locations against the schemes rollgate can read: {@code classpath:}
 * and {@code filesystem:} always, plus the schemes the installed adapters register ({@code s3:},
 * ...). The parser checks only the {@code scheme:path} shape; this runs once the adapters are in.
 */
public final class FlywayLocations {

  /** The schemes Flyway reads with no adapter's help. */
  public static final Set<String> BUILT_IN = Set.of("classpath", "filesystem");

  private FlywayLocations() {}

  /**
   * Problems with locations whose scheme nobody reads, each naming its path and the schemes that
   * are installed.
   *
   * @param registered the schemes the adapters registered, without the colon
   */
  public static List<String> problems(Manifest manifest, Set<String> registered) {
    Set<String> known = new TreeSet<>(BUILT_IN);
    known.addAll(registered);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < manifest.apps().size(); i++) {
      for (EnvironmentSpec env : manifest.apps().get(i).environments()) {
        MigrationSpec m = env.migrations();
        if (m == null || m.isJob()) {
          continue;
        }
        for (int j = 0; j < m.locations().size(); j++) {
          String location = m.locations().get(j);
          String scheme = location.substring(0, Math.max(location.indexOf(':'), 0));
          if (!known.contains(scheme)) {
            problems.add(
                "apps[%d].environments.%s.migrations.flyway.locations[%d]: no installed adapter reads '%s:' locations; installed: %s"
                    .formatted(
                        i, env.name(), j, scheme, known.stream().map(s -> s + ":").toList()));
          }
        }
      }
    }
    return problems;
  }
}
