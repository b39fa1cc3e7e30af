package dev.rollgate.testing;

import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.port.MigrationRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A migration runner over an in-memory schema history: the release with tag {@code vN} needs
 * versions 1..N; already applied versions are not applied again, like Flyway.
 */
public final class FakeMigrationRunner implements MigrationRunner {

  private final Map<String, List<Integer>> applied = new ConcurrentHashMap<>();
  private final Set<String> failingTags = ConcurrentHashMap.newKeySet();
  private final Set<String> misconfiguredTags = ConcurrentHashMap.newKeySet();

  @Override
  public String tool() {
    return "flyway";
  }

  /** Releases with this tag fail their migration, the way bad SQL does. */
  public FakeMigrationRunner failFor(String tag) {
    failingTags.add(tag);
    return this;
  }

  /** Releases with this tag meet a configuration error, the way an unset secret does. */
  public FakeMigrationRunner misconfiguredFor(String tag) {
    misconfiguredTags.add(tag);
    return this;
  }

  /** Configuration errors end; what was set up by {@link #misconfiguredFor} is fixed. */
  public void fixConfiguration() {
    misconfiguredTags.clear();
  }

  @Override
  public synchronized Result migrate(MigrationSpec spec, Context context)
      throws MigrationException {
    String tag = context.image().tag();
    if (tag == null && spec.locations().stream().anyMatch(l -> l.contains("{tag}"))) {
      throw MigrationException.configuration(
          "migration location uses {tag} but this release has no tag");
    }
    if (misconfiguredTags.contains(tag)) {
      throw MigrationException.configuration(
          "migrations.database: secret 'env:SHOP_DB' is not set; set the environment variable");
    }
    if (failingTags.contains(tag)) {
      throw new MigrationException(
          "Migration V9__broken.sql failed: ERROR: syntax error at or near \"tabel\"", true, null);
    }
    int target = tag != null && tag.matches("v\\d+") ? Integer.parseInt(tag.substring(1)) : 1;
    List<Integer> history =
        applied.computeIfAbsent(
            context.app() + "/" + context.environment(), k -> new ArrayList<>());
    int count = 0;
    for (int v = 1; v <= target; v++) {
      if (!history.contains(v)) {
        history.add(v);
        count++;
      }
    }
    int current = history.stream().mapToInt(Integer::intValue).max().orElse(0);
    return new Result(current == 0 ? null : String.valueOf(current), count);
  }

  /** Every version applied to an app+environment, in order: a version twice means a bug. */
  public List<Integer> history(String app, String environment) {
    return List.copyOf(applied.getOrDefault(app + "/" + environment, List.of()));
  }
}
