package dev.rollgate.local.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Lets tests in other packages alter backups and stop revisions the way the demo does. */
public final class DemoStateAccess {

  private DemoStateAccess() {}

  public static Path alterNewestBackup(Path home) throws IOException {
    String newest;
    try (Stream<Path> dirs = Files.list(home.resolve("backups/shop/staging"))) {
      newest =
          dirs.map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith("."))
              .max(Comparator.naturalOrder())
              .orElseThrow();
    }
    return DemoState.alterBackupFile(home, newest);
  }

  public static void stopRevisions(Path home) {
    DemoState.stopRevisions(home);
  }
}
