package dev.rollgate.local.platform;

import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.local.platform.ServiceRecord.RevisionRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The revisions' processes: started here, or found again by pid after a restart of the host. */
final class Processes {

  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final StateStore store;
  private final Path workDir;
  private final Clock clock;
  private final Map<String, String> hostEnvironment;
  private final Map<String, RevisionProcess> known = new ConcurrentHashMap<>();

  /**
   * @param hostEnvironment the host's environment, of which revisions get only what {@link
   *     RevisionEnvironment} states
   */
  Processes(StateStore store, Path workDir, Clock clock, Map<String, String> hostEnvironment) {
    this.store = store;
    this.workDir = workDir;
    this.clock = clock;
    this.hostEnvironment = Map.copyOf(hostEnvironment);
  }

  /**
   * Starts revision {@code id} of {@code service}: {@code command} on {@code port}, with the
   * manifest's {@code env} added to the stated environment.
   */
  RevisionProcess launch(
      String service,
      String id,
      List<String> command,
      int port,
      ImageRef image,
      Map<String, String> env)
      throws PlatformException {
    try {
      Map<String, String> environment =
          RevisionEnvironment.of(hostEnvironment, env, port, id, image);
      RevisionProcess p =
          RevisionProcess.start(
              command, workDir, environment, store.logFile(service, id), clock.now());
      known.put(key(service, id), p);
      return p;
    } catch (IOException e) {
      throw new PlatformException(
          "local:"
              + service
              + ": cannot start revision "
              + id
              + " with "
              + command
              + " in "
              + workDir
              + ": "
              + e.getMessage()
              + "; check target.command",
          false,
          e);
    }
  }

  /** {@code rec} with revision {@code r} started again, on its old port when that is free. */
  ServiceRecord relaunch(ServiceRecord rec, RevisionRecord r) throws PlatformException {
    int port = Ports.bindable(r.port()) ? r.port() : Ports.freeFor(rec.service(), rec);
    List<String> command =
        port == r.port() ? r.command() : LocalTarget.expand(r.template(), port, r.image(), r.id());
    RevisionProcess started = launch(rec.service(), r.id(), command, port, r.image(), r.env());
    return rec.with(r.restarted(port, command, started, clock.now().toEpochMilli()));
  }

  /** The revision's live process: the one this host started, or adopted by pid. */
  Optional<RevisionProcess> find(String service, RevisionRecord r) {
    RevisionProcess p = known.get(key(service, r.id()));
    if (p != null && p.pid() == r.pid()) {
      return Optional.of(p);
    }
    Optional<RevisionProcess> adopted = RevisionProcess.adopt(r.pid(), r.pidStart());
    adopted.ifPresent(a -> known.put(key(service, r.id()), a));
    return adopted;
  }

  /** Whether the revision's process runs; false when it exited or was never found. */
  boolean running(String service, RevisionRecord r) {
    return r.status() == ServiceRecord.Status.RUNNING
        && find(service, r).map(RevisionProcess::alive).orElse(false);
  }

  /** Stops the revision's process: SIGTERM, then a forced kill after a grace period. */
  void stop(String service, RevisionRecord r) {
    find(service, r).ifPresent(p -> p.stop(STOP_GRACE));
    known.remove(key(service, r.id()));
  }

  private static String key(String service, String revision) {
    return service + "/" + revision;
  }
}
