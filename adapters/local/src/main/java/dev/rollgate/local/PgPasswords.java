package dev.rollgate.local;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Set;

/**
 * The embedded server's passwords, one per role, generated on first use and kept in one file that
 * only its owner may read or write (0600). Never printed: callers pass them to the server and to
 * JDBC only.
 */
final class PgPasswords {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final Properties passwords = new Properties();

  private PgPasswords(Path file) {
    this.file = file;
  }

  /** Reads the file when it exists (and makes it owner-only again if someone widened it). */
  static PgPasswords open(Path file) {
    PgPasswords p = new PgPasswords(file);
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        p.passwords.load(r);
        ownerOnly(file);
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot read the embedded PostgreSQL's password file "
                + file
                + ": "
                + e.getMessage()
                + " (it must be readable by the user running rollgate)",
            e);
      }
    }
    return p;
  }

  Path file() {
    return file;
  }

  synchronized boolean has(String role) {
    return passwords.containsKey(role);
  }

  /** The role's password; generates and saves one on first use. */
  synchronized String password(String role) {
    String existing = passwords.getProperty(role);
    if (existing != null) {
      return existing;
    }
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    String fresh = HexFormat.of().formatHex(bytes);
    passwords.setProperty(role, fresh);
    save();
    return fresh;
  }

  private void save() {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (UnsupportedOperationException e) {
        Files.createFile(tmp);
      }
      try (Writer w = Files.newBufferedWriter(tmp)) {
        passwords.store(w, "rollgate: passwords of the embedded PostgreSQL's roles; keep private");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException("another process is writing " + file + ": try again", e);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot write the embedded PostgreSQL's password file " + file + ": " + e.getMessage(),
          e);
    }
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: its own access rules apply.
    }
  }
}
