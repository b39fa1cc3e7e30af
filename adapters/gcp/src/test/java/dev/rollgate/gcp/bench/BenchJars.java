package dev.rollgate.gcp.bench;

import dev.rollgate.bench.ColdStarts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/** The cold-start bench's jars: the baseline's, and a look inside the artifact. */
public final class BenchJars {

  /** The Cloud Run platform's class. */
  private static final Pattern CLOUD_RUN_PLATFORM =
      Pattern.compile("dev/rollgate/gcp/(.*/)?CloudRun[A-Za-z]*Platform\\.class");

  private BenchJars() {}

  /** True when the artifact carries the Cloud Run platform (a build of this branch does). */
  public static boolean hasCloudRunPlatform(Path artifact) throws IOException {
    try (JarFile jar = new JarFile(artifact.toFile())) {
      return jar.stream().anyMatch(e -> CLOUD_RUN_PLATFORM.matcher(e.getName()).matches());
    }
  }

  /** {@link PlainPushFunction} alone, as a jar. */
  public static Path plain(Path testClasses, Path dir) throws IOException {
    return ColdStarts.jar(
        testClasses,
        dir.resolve("plain-function.jar"),
        List.of("dev/rollgate/gcp/bench/PlainPushFunction"));
  }

  /**
   * The baseline's class path: google-cloud-run and what it brings, as Maven lists the module's
   * runtime class path (from google-cloud-run to threetenbp, the last of its dependencies), and the
   * gRPC transport the artifact ships (grpc-okhttp and okio), which Google's client finds by
   * ServiceLoader.
   */
  public static String cloudRunClientJars(Path classpathFile) throws IOException {
    List<String> all =
        List.of(Files.readString(classpathFile).trim().split(Pattern.quote(File.pathSeparator)));
    int from = -1;
    int to = -1;
    for (int i = 0; i < all.size(); i++) {
      String name = Path.of(all.get(i)).getFileName().toString();
      if (from < 0 && name.startsWith("google-cloud-run-")) {
        from = i;
      }
      if (from >= 0 && name.startsWith("threetenbp-")) {
        to = i;
        break;
      }
    }
    List<String> transport =
        all.stream()
            .filter(
                j -> {
                  String name = Path.of(j).getFileName().toString();
                  return name.startsWith("grpc-okhttp-")
                      || name.startsWith("okio-")
                      || name.startsWith("kotlin-stdlib");
                })
            .toList();
    if (from < 0 || to < 0 || transport.isEmpty()) {
      throw new IllegalStateException(
          classpathFile
              + ": no google-cloud-run ... threetenbp run of jars, or no grpc-okhttp; rebuild it");
    }
    List<String> jars = new ArrayList<>(all.subList(from, to + 1));
    jars.addAll(transport);
    return String.join(File.pathSeparator, jars);
  }
}
