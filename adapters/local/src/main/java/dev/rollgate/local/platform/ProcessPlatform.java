package dev.rollgate.local.platform;

import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.Clock;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.local.platform.ServiceRecord.RevisionRecord;
import dev.rollgate.local.platform.ServiceRecord.Status;
import dev.rollgate.local.platform.StableProxy.Backend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded default's platform: each revision of a service runs as a local process on its own
 * port, behind a stable URL that routes to the serving revision. State and logs live under a state
 * directory, so that revisions keep serving, and are found again, across restarts of the host.
 */
public final class ProcessPlatform implements ServicePlatform, AutoCloseable {

  static final String NAME = "local";

  private final StateStore store;
  private final Clock clock;
  private final Processes processes;
  private final StableUrls urls = new StableUrls();
  // One lock per service: operations on one service run one at a time, different services in
  // parallel. One host per state directory is assumed; the files carry no lock of their own.
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /**
   * @param stateDir where the state files and revision logs live (the local host passes {@code
   *     .rollgate/platform})
   * @param workDir the working directory of every revision's command (the manifest's directory)
   */
  public ProcessPlatform(Path stateDir, Path workDir, Clock clock) {
    this(stateDir, workDir, clock, System.getenv());
  }

  /**
   * @param hostEnvironment the host's environment: revisions get only the few variables {@link
   *     RevisionEnvironment} states from it, never the host's secrets
   */
  public ProcessPlatform(
      Path stateDir, Path workDir, Clock clock, Map<String, String> hostEnvironment) {
    // Every change of the state rewrites the Prometheus file_sd targets (docs/analysis.md).
    this.store = new StateStore(stateDir, new PrometheusTargets(stateDir)::update);
    this.clock = clock;
    this.processes = new Processes(store, workDir.toAbsolutePath(), clock, hostEnvironment);
  }

  /**
   * Brings back every stable URL of the state directory, as a host starting on it must (the stable
   * URLs live in the host): routes each to its serving revision, and starts that revision again
   * when its process is gone, as {@link #restore} does. A service that cannot be brought back does
   * not keep the others down.
   *
   * @return one line per service that could not be brought back, saying why
   */
  public List<String> resume() {
    List<String> problems = new ArrayList<>();
    List<String> services;
    try {
      services = store.services();
    } catch (PlatformException e) {
      return List.of(e.getMessage());
    }
    for (String service : services) {
      synchronized (lock(service)) {
        try {
          Optional<ServiceRecord> found = store.load(service);
          if (found.isEmpty() || found.get().serving() == null) {
            continue;
          }
          ServiceRecord rec = found.get();
          Optional<RevisionRecord> serving = rec.revision(rec.serving());
          if (serving.isEmpty()) {
            continue;
          }
          if (!processes.running(service, serving.get())) {
            rec = processes.relaunch(rec, serving.get());
            store.save(rec);
          }
          Optional<RevisionRecord> canary =
              rec.canary() == null ? Optional.empty() : rec.revision(rec.canary());
          if (canary.isPresent() && !processes.running(service, canary.get())) {
            // A canary keeps its share across a restart of the host: its process comes back too.
            rec = processes.relaunch(rec, canary.get());
            store.save(rec);
          }
          urls.route(rec, null);
        } catch (PlatformException e) {
          problems.add(e.getMessage());
        }
      }
    }
    return problems;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> validate(TargetSpec target) {
    return LocalTarget.problems(target);
  }

  @Override
  public ServiceState describe(TargetSpec target) throws PlatformException {
    LocalTarget t = LocalTarget.of(target);
    synchronized (lock(t.service())) {
      Optional<ServiceRecord> found = load(t);
      if (found.isEmpty() || found.get().serving() == null) {
        return new ServiceState(null, null, null);
      }
      ServiceRecord rec = urls.ensure(found.get());
      RevisionRecord serving = rec.revision(rec.serving()).orElseThrow();
      return new ServiceState(serving.id(), serving.image(), StableUrls.url(rec));
    }
  }

  /**
   * What a rollout of {@code image} would change against the serving revision: the image, the
   * command line, each {@code target.env} variable, and the stable port when {@code target.port}
   * moves it. Reads the service's state file and writes nothing.
   */
  @Override
  public List<Change> plan(TargetSpec target, ImageRef image) throws PlatformException {
    LocalTarget t = LocalTarget.of(target);
    synchronized (lock(t.service())) {
      Optional<ServiceRecord> found = store.load(t.service());
      RevisionRecord serving =
          found
              .filter(rec -> rec.serving() != null)
              .flatMap(rec -> rec.revision(rec.serving()))
              .orElse(null);
      List<Change> changes =
          new ArrayList<>(
              RevisionChanges.between(
                  serving == null ? null : RevisionChanges.of(serving),
                  RevisionChanges.of(t, image)));
      if (found.isPresent() && t.port() != null && t.port() != found.get().stablePort()) {
        changes.add(
            new Change(
                "port", Integer.toString(found.get().stablePort()), Integer.toString(t.port())));
      }
      return changes;
    }
  }

  /** The service's record, or a new one on its port (or a free one) when it never ran. */
  private ServiceRecord loadOrNew(LocalTarget t) throws PlatformException {
    Optional<ServiceRecord> rec = load(t);
    if (rec.isPresent()) {
      return rec.get();
    }
    return ServiceRecord.fresh(
        t.service(), t.port() != null ? t.port() : Ports.freeFor(t.service(), null));
  }

  @Override
  public Revision rollOut(TargetSpec target, String deploymentId, ImageRef image)
      throws PlatformException {
    LocalTarget t = LocalTarget.of(target);
    synchronized (lock(t.service())) {
      ServiceRecord rec = loadOrNew(t);
      Optional<RevisionRecord> done = rec.forDeployment(deploymentId);
      if (done.isPresent()) {
        return new Revision(done.get().id(), StableUrls.url(urls.ensure(rec)));
      }
      RevisionRecord r = launch(t, rec, deploymentId, image);
      Backend before = StableUrls.backend(rec, rec.serving());
      rec = rec.with(r).withServing(r.id()).withCanary(null, 0);
      store.save(rec);
      urls.route(rec, before);
      return new Revision(r.id(), StableUrls.url(rec));
    }
  }

  @Override
  public boolean splitsTraffic() {
    return true;
  }

  /**
   * Starts {@code image} as a new revision next to the serving one, with no traffic yet; its own
   * URL ({@code http://127.0.0.1:<its port>}) reaches it directly, bypassing the stable URL.
   */
  @Override
  public Revision stage(TargetSpec target, String deploymentId, ImageRef image)
      throws PlatformException {
    LocalTarget t = LocalTarget.of(target);
    synchronized (lock(t.service())) {
      ServiceRecord rec = loadOrNew(t);
      Optional<RevisionRecord> done = rec.forDeployment(deploymentId);
      if (done.isPresent()) {
        urls.ensure(rec);
        return new Revision(done.get().id(), ownUrl(done.get()));
      }
      RevisionRecord r = launch(t, rec, deploymentId, image);
      rec = rec.with(r).withCanary(r.id(), 0);
      store.save(rec);
      urls.route(rec, null);
      return new Revision(r.id(), ownUrl(r));
    }
  }

  /**
   * Gives {@code revision} {@code percent} of the stable URL's requests and {@code stable} the
   * rest; 100 makes {@code revision} the serving one, 0 ends the split. Kept in the state file, so
   * that a restarted host splits the same way.
   */
  @Override
  public void split(TargetSpec target, String revision, String stable, int percent)
      throws PlatformException {
    LocalTarget t = LocalTarget.of(target);
    synchronized (lock(t.service())) {
      ServiceRecord rec = existing(t);
      RevisionRecord canary = revision(t, rec, revision);
      revision(t, rec, stable);
      if (percent > 0 && !processes.running(t.service(), canary)) {
        rec = processes.relaunch(rec, canary);
      }
      Backend before = StableUrls.backend(rec, rec.serving());
      if (percent >= 100) {
        rec = rec.withServing(revision).withCanary(null, 0);
      } else if (percent <= 0) {
        rec = rec.withServing(stable).withCanary(null, 0);
      } else {
        rec = rec.withServing(stable).withCanary(revision, percent);
      }
      store.save(rec);
      urls.route(rec, revision.equals(rec.serving()) ? before : null);
    }
  }

  private static String ownUrl(RevisionRecord r) {
    return "http://127.0.0.1:" + r.port();
  }

  private RevisionRecord launch(
      LocalTarget t, ServiceRecord rec, String deploymentId, ImageRef image)
      throws PlatformException {
    String id = t.service() + "-" + (rec.revisions().size() + 1);
    int port = Ports.freeFor(t.service(), rec);
    List<String> command = LocalTarget.expand(t.template(), port, image, id);
    RevisionProcess p = processes.launch(t.service(), id, command, port, image, t.env());
    return new RevisionRecord(
        id,
        deploymentId,
        image,
        port,
        p.pid(),
        p.startMillis(),
        command,
        t.template(),
        Status.RUNNING,
        null,
        clock.now().toEpochMilli(),
        t.env());
  }

  @Override
  public RolloutStatus observe(TargetSpec target, String revision) throws PlatformException {
    LocalTarget t = LocalTarget.of(target);
    synchronized (lock(t.service())) {
      ServiceRecord rec = urls.ensure(existing(t));
      RevisionRecord r = revision(t, rec, revision);
      boolean canary = revision.equals(rec.canary());
      if (!revision.equals(rec.serving()) && !canary) {
        return RolloutStatus.reverted(rec.serving() + " serves " + t.service() + " now");
      }
      Optional<RevisionProcess> p = processes.find(t.service(), r);
      if (!processes.running(t.service(), r)) {
        Integer code = r.exitCode();
        if (code == null && p.isPresent() && p.get().exitCode().isPresent()) {
          code = p.get().exitCode().getAsInt();
        }
        if (r.status() == Status.RUNNING) {
          store.save(rec.with(r.withStatus(Status.EXITED, code)));
        }
        return RolloutStatus.failed(failure(t, r, code));
      }
      if (Ports.accepts(r.port())) {
        return RolloutStatus.ready(
            revision
                + " accepts connections on port "
                + r.port()
                + (canary
                    ? " and receives " + rec.canaryShare() + " % of the traffic"
                    : " and receives the traffic"));
      }
      Duration waited = Duration.ofMillis(clock.now().toEpochMilli() - r.startedAt());
      return RolloutStatus.inProgress(
          revision
              + " (pid "
              + r.pid()
              + ") does not accept connections on port "
              + r.port()
              + " yet, "
              + waited.toSeconds()
              + "s after its start"
              + (waited.compareTo(t.startTimeout()) > 0
                  ? "; that is longer than startTimeout "
                      + t.startTimeout().toSeconds()
                      + "s: see "
                      + store.logFile(t.service(), revision)
                  : ""));
    }
  }

  @Override
  public void restore(TargetSpec target, String revision) throws PlatformException {
    LocalTarget t = LocalTarget.of(target);
    synchronized (lock(t.service())) {
      ServiceRecord rec = existing(t);
      RevisionRecord r = revision(t, rec, revision);
      boolean gone = !processes.running(t.service(), r);
      if (!gone && revision.equals(rec.serving()) && rec.canary() == null) {
        urls.ensure(rec);
        return;
      }
      // Restoring ends any split: all traffic goes to the restored revision.
      rec = rec.withCanary(null, 0);
      if (gone) {
        // Its process is gone (retired, crashed, or the machine restarted): start it again.
        rec = processes.relaunch(rec, r);
      }
      Backend before =
          revision.equals(rec.serving()) ? null : StableUrls.backend(rec, rec.serving());
      rec = rec.withServing(revision);
      store.save(rec);
      urls.route(rec, before);
    }
  }

  @Override
  public void retire(TargetSpec target, String serving) throws PlatformException {
    LocalTarget t = LocalTarget.of(target);
    synchronized (lock(t.service())) {
      ServiceRecord rec = existing(t);
      revision(t, rec, serving);
      if (!serving.equals(rec.serving())) {
        throw new PlatformException(
            "local:"
                + t.service()
                + ": cannot retire the revisions other than "
                + serving
                + " because "
                + rec.serving()
                + " serves now; restore "
                + serving
                + " first",
            false);
      }
      urls.route(stopAllBut(rec, serving), null);
    }
  }

  /** Stops the stable URLs; the revisions keep running, to be adopted by the next host. */
  @Override
  public void close() {
    urls.stopAll();
  }

  /** Stops every revision of every service in the state directory, and the stable URLs. */
  public void stopAll() throws PlatformException {
    for (String service : store.services()) {
      synchronized (lock(service)) {
        Optional<ServiceRecord> rec = store.load(service);
        if (rec.isPresent()) {
          stopAllBut(rec.get(), null);
        }
      }
    }
    close();
  }

  private ServiceRecord stopAllBut(ServiceRecord rec, String keep) throws PlatformException {
    ServiceRecord next = rec;
    for (RevisionRecord r : rec.revisions()) {
      if (r.id().equals(keep) || r.status() != Status.RUNNING) {
        continue;
      }
      processes.stop(rec.service(), r);
      next = next.with(r.withStatus(Status.STOPPED, null));
    }
    if (next != rec) {
      store.save(next);
    }
    return next;
  }

  /** The service's state, with {@code target.port} applied when it names another port. */
  private Optional<ServiceRecord> load(LocalTarget t) throws PlatformException {
    Optional<ServiceRecord> found = store.load(t.service());
    if (found.isPresent() && t.port() != null && t.port() != found.get().stablePort()) {
      ServiceRecord moved = found.get().withStablePort(t.port());
      store.save(moved);
      return Optional.of(moved);
    }
    return found;
  }

  private ServiceRecord existing(LocalTarget t) throws PlatformException {
    return load(t)
        .orElseThrow(
            () ->
                new PlatformException(
                    "local:" + t.service() + ": no revision was ever rolled out", false));
  }

  private static RevisionRecord revision(LocalTarget t, ServiceRecord rec, String id)
      throws PlatformException {
    return rec.revision(id)
        .orElseThrow(
            () ->
                new PlatformException(
                    "local:"
                        + t.service()
                        + ": no revision '"
                        + id
                        + "'; known: "
                        + rec.revisions().stream().map(RevisionRecord::id).toList(),
                    false));
  }

  private String failure(LocalTarget t, RevisionRecord r, Integer code) {
    Path log = store.logFile(t.service(), r.id());
    return r.id()
        + (r.status() == Status.STOPPED
            ? " was stopped"
            : code != null ? " exited with code " + code : " is not running (exit code unknown)")
        + "; last log line: '"
        + RevisionProcess.lastLine(log)
        + "' (log: "
        + log
        + ")";
  }

  private Object lock(String service) {
    return locks.computeIfAbsent(service, s -> new Object());
  }
}
