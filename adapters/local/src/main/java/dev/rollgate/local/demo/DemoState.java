package dev.rollgate.local.demo;

import dev.rollgate.core.port.Clock;
import dev.rollgate.local.EmbeddedDatabase;
import dev.rollgate.local.platform.ProcessPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The demo starts from nothing and leaves no process behind. */
final class DemoState {

  private DemoState() {}

  /** Stops whatever an earlier demo left running on this state directory, then deletes it. */
  static void wipe(Path home) throws IOException {
    if (!Files.exists(home)) {
      return;
    }
    stopRevisions(home);
    if (Files.exists(home.resolve("pg"))) {
      EmbeddedDatabase.stopLeftover(home.resolve("pg"));
    }
    try (Stream<Path> files = Files.walk(home)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Flips one byte in the middle of the biggest table file of a backup; returns the file. */
  static Path alterBackupFile(Path home, String backupId) throws IOException {
    Path biggest;
    try (Stream<Path> files = Files.walk(home.resolve("backups"))) {
      biggest =
          files
              .filter(p -> p.toString().contains(backupId) && p.toString().endsWith(".gz"))
              .max(Comparator.comparingLong(DemoState::size))
              .orElseThrow(() -> new IOException("no table file of backup " + backupId));
    }
    byte[] bytes = Files.readAllBytes(biggest);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(biggest, bytes);
    return biggest;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }

  /** Stops every revision process the local platform started under this state directory. */
  static void stopRevisions(Path home) {
    Path state = home.resolve("platform");
    if (Files.exists(state)) {
      try (ProcessPlatform platform =
          new ProcessPlatform(state, home.toAbsolutePath(), Clock.system())) {
        platform.stopAll();
      } catch (Exception e) {
        System.err.println("demo: could not stop the sample processes: " + e.getMessage());
      }
    }
  }
}
