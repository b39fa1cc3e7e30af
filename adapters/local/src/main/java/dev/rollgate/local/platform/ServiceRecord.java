package dev.rollgate.local.platform;

import dev.rollgate.core.model.ImageRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One service's state on the local platform, as its JSON file keeps it: the stable port, the
 * serving revision, a canary's share of the traffic, and every revision ever rolled out.
 *
 * @param serving the revision the stable URL routes to, or null before the first rollout
 * @param canary a revision staged or holding a share of the traffic next to {@code serving}, or
 *     null
 * @param canaryShare the percent of the stable URL's requests that go to {@code canary} (0..99)
 */
record ServiceRecord(
    String service,
    int stablePort,
    String serving,
    List<RevisionRecord> revisions,
    String canary,
    int canaryShare) {

  ServiceRecord {
    revisions = List.copyOf(revisions);
    if (canary == null) {
      canaryShare = 0;
    }
  }

  ServiceRecord(String service, int stablePort, String serving, List<RevisionRecord> revisions) {
    this(service, stablePort, serving, revisions, null, 0);
  }

  static ServiceRecord fresh(String service, int stablePort) {
    return new ServiceRecord(service, stablePort, null, List.of());
  }

  /** This record with {@code id} as the canary receiving {@code share} percent (null: none). */
  ServiceRecord withCanary(String id, int share) {
    return new ServiceRecord(service, stablePort, serving, revisions, id, share);
  }

  Optional<RevisionRecord> revision(String id) {
    return revisions.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  Optional<RevisionRecord> forDeployment(String deploymentId) {
    return revisions.stream().filter(r -> r.deploymentId().equals(deploymentId)).findFirst();
  }

  ServiceRecord withServing(String id) {
    return new ServiceRecord(service, stablePort, id, revisions, canary, canaryShare);
  }

  ServiceRecord withStablePort(int port) {
    return new ServiceRecord(service, port, serving, revisions, canary, canaryShare);
  }

  /** This record with {@code r} replacing the revision of the same id, or added at the end. */
  ServiceRecord with(RevisionRecord r) {
    List<RevisionRecord> next = new ArrayList<>(revisions);
    int at = next.stream().map(RevisionRecord::id).toList().indexOf(r.id());
    if (at >= 0) {
      next.set(at, r);
    } else {
      next.add(r);
    }
    return new ServiceRecord(service, stablePort, serving, next, canary, canaryShare);
  }

  /** Whether a revision's process should be running, exited on its own, or was stopped by us. */
  enum Status {
    RUNNING,
    EXITED,
    STOPPED
  }

  /**
   * One revision: what it runs and where.
   *
   * @param pid the process id, so that a restarted host can adopt the process
   * @param pidStart the process's start time in epoch millis (0 when unknown), so that a reused pid
   *     is not mistaken for the revision
   * @param template the command template, to start the revision again on another port
   * @param exitCode the exit code once known, else null
   * @param startedAt when the process was started, in epoch millis of the platform's clock
   * @param env the manifest's {@code target.env} at rollout, given again on every restart (empty in
   *     state files written before it existed)
   */
  record RevisionRecord(
      String id,
      String deploymentId,
      ImageRef image,
      int port,
      long pid,
      long pidStart,
      List<String> command,
      String template,
      Status status,
      Integer exitCode,
      long startedAt,
      Map<String, String> env) {

    RevisionRecord {
      command = List.copyOf(command);
      env = env == null ? Map.of() : Map.copyOf(env);
    }

    RevisionRecord withStatus(Status newStatus, Integer code) {
      return new RevisionRecord(
          id,
          deploymentId,
          image,
          port,
          pid,
          pidStart,
          command,
          template,
          newStatus,
          code,
          startedAt,
          env);
    }

    RevisionRecord restarted(int newPort, List<String> newCommand, RevisionProcess p, long now) {
      return new RevisionRecord(
          id,
          deploymentId,
          image,
          newPort,
          p.pid(),
          p.startMillis(),
          newCommand,
          template,
          Status.RUNNING,
          null,
          now,
          env);
    }
  }
}
