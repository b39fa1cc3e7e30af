package dev.rollgate.testing;

import dev.rollgate.core.manifest.MigrationSpec;
import dev.rollgate.core.port.MigrationRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code memory} platform's job runner, for tests: a job's command is a script of what it does,
 * {@code [ok]}, {@code [fail, <code>, <lines>]} (prints {@code line 1..N}, exits {@code code}) or
 * {@code [hang]} (runs past its timeout).
 */
public final class InMemoryJobRunner implements MigrationRunner {

  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final Set<String> done = ConcurrentHashMap.newKeySet();

  @Override
  public String tool() {
    return MigrationSpec.JOB;
  }

  @Override
  public String platform() {
    return "memory";
  }

  @Override
  public Result migrate(MigrationSpec spec, Context context) throws MigrationException {
    if (context.target() == null || !platform().equals(context.target().platform())) {
      throw MigrationException.configuration(
          "memory job: the target's platform is '"
              + (context.target() == null ? null : context.target().platform())
              + "'; a memory job runs on a memory target");
    }
    if (done.contains(context.deploymentId())) {
      return new Result(null, 0);
    }
    runs.computeIfAbsent(context.deploymentId(), k -> new AtomicInteger()).incrementAndGet();
    List<String> line = spec.commandLine();
    switch (line.get(0)) {
      case "fail" -> {
        List<String> output = new ArrayList<>();
        int lines = Integer.parseInt(line.get(2));
        for (int i = Math.max(1, lines - 19); i <= lines; i++) {
          output.add("line " + i);
        }
        throw new MigrationException(
            "memory job exited with code "
                + line.get(1)
                + "; last lines:\n"
                + String.join("\n", output),
            true,
            null);
      }
      case "hang" ->
          throw new MigrationException(
              "memory job still ran after its timeout of " + spec.timeout() + "; stopped it",
              true,
              null);
      default -> {
        done.add(context.deploymentId());
        return new Result(null, 1);
      }
    }
  }

  /** How many jobs ran for {@code deploymentId}. */
  public int runs(String deploymentId) {
    AtomicInteger n = runs.get(deploymentId);
    return n == null ? 0 : n.get();
  }
}
