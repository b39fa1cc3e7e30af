package dev.rollgate.local.platform;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollgate.core.port.PlatformException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The local platform's state on disk: {@code services/<service>.json} per service and {@code
 * logs/<service>/<revision>.log} per revision, so that a restarted host finds its revisions again.
 */
final class StateStore {

  private static final String SUFFIX = ".json";

  private final Path dir;
  private final ObjectMapper json =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private final Consumer<StateStore> afterSave;

  StateStore(Path dir) {
    this(dir, store -> {});
  }

  /** A store that calls {@code afterSave} after each record it writes. */
  StateStore(Path dir, Consumer<StateStore> afterSave) {
    this.dir = dir.toAbsolutePath();
    this.afterSave = afterSave;
  }

  Optional<ServiceRecord> load(String service) throws PlatformException {
    Path file = file(service);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readValue(file.toFile(), ServiceRecord.class));
    } catch (IOException e) {
      throw new PlatformException(
          "local:"
              + service
              + ": cannot read the platform state "
              + file
              + " ("
              + e.getMessage().lines().findFirst().orElse("")
              + "); fix or delete the file (deleting it forgets the service's revisions)",
          false,
          e);
    }
  }

  void save(ServiceRecord record) throws PlatformException {
    Path file = file(record.service());
    try {
      Files.createDirectories(file.getParent());
      // Write aside and move, so that a crash never leaves half a file behind.
      Path tmp = Files.createTempFile(file.getParent(), record.service(), ".tmp");
      json.writeValue(tmp.toFile(), record);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new PlatformException(
          "local:" + record.service() + ": cannot write the platform state " + file + ": " + e,
          true,
          e);
    }
    afterSave.accept(this);
  }

  /** The services that have a state file. */
  List<String> services() throws PlatformException {
    Path services = dir.resolve("services");
    if (!Files.isDirectory(services)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(services)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(SUFFIX))
          .map(n -> n.substring(0, n.length() - SUFFIX.length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new PlatformException("cannot list the platform state in " + services + ": " + e, true);
    }
  }

  Path logFile(String service, String revision) {
    return dir.resolve("logs").resolve(service).resolve(revision + ".log");
  }

  private Path file(String service) {
    return dir.resolve("services").resolve(service + SUFFIX);
  }
}
