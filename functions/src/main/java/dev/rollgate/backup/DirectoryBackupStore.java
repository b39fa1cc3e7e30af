package dev.rollgate.backup;

import dev.rollgate.core.port.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A {@link BackupStore} in a local directory: a key is a relative path; a file is written to a
 * hidden temporary name beside its target, flushed to disk, then moved into place atomically, so
 * that a reader sees a complete file or none. Hidden files (a dead writer's leftovers) are never
 * listed.
 */
public final class DirectoryBackupStore implements BackupStore {

  /** A temporary file untouched this long belongs to a writer that died. */
  static final Duration STALE_PARTIAL = Duration.ofHours(1);

  private final Path root;

  public DirectoryBackupStore(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  @Override
  public String describe() {
    return "dir:" + root;
  }

  @Override
  public Upload upload(String key) throws IOException {
    Path target = resolve(key);
    Files.createDirectories(target.getParent());
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    Path temp =
        target.resolveSibling(
            "." + target.getFileName() + "." + HexFormat.of().formatHex(random) + ".partial");
    return new TempFileUpload(temp) {
      @Override
      protected void publish(Path complete) throws IOException {
        try {
          Files.move(
              complete,
              target,
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(complete, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }

      @Override
      protected String where() {
        return target.toString();
      }
    };
  }

  @Override
  public InputStream get(String key) throws IOException {
    return Files.newInputStream(resolve(key));
  }

  @Override
  public List<Entry> list(String prefix) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (!Files.isRegularFile(p) || p.getFileName().toString().startsWith(".")) {
          continue;
        }
        String key = root.relativize(p).toString().replace('\\', '/');
        if (key.startsWith(prefix)) {
          entries.add(new Entry(key, Files.size(p)));
        }
      }
    }
    entries.sort((a, b) -> a.key().compareTo(b.key()));
    return entries;
  }

  @Override
  public void delete(String key) throws IOException {
    Path target = resolve(key);
    Files.deleteIfExists(target);
    // Empty directories of deleted backups go too, up to the root, with the temporary files a
    // killed writer left there an hour or more ago.
    for (Path dir = target.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
      try {
        removeStalePartials(dir);
        Files.deleteIfExists(dir);
      } catch (DirectoryNotEmptyException e) {
        return;
      }
    }
  }

  private static void removeStalePartials(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    Instant stale = Instant.now().minus(STALE_PARTIAL);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(".")
            && name.endsWith(".partial")
            && Files.getLastModifiedTime(p).toInstant().isBefore(stale)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private Path resolve(String key) {
    if (key == null
        || key.isEmpty()
        || key.startsWith("/")
        || key.contains("\\")
        || key.endsWith("/")) {
      throw new IllegalArgumentException("not a store key (a relative path a/b/c): '" + key + "'");
    }
    for (String segment : key.split("/")) {
      if (segment.isEmpty() || segment.startsWith(".")) {
        throw new IllegalArgumentException(
            "not a store key: segment '" + segment + "' of '" + key + "' is empty or hidden");
      }
    }
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("store key '" + key + "' leaves the store's directory");
    }
    return p;
  }
}
