package dev.rollgate.gcp.emulator;

import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.Task;
import com.google.longrunning.Operation;
import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The Cloud Run fake's state: services, revisions (with the template that made each), jobs,
 * executions, tasks and long-running operations, by resource name. Every handler holds this
 * object's lock while it reads or changes it ({@link #run}), so the fake answers one call at a
 * time, as one consistent API would.
 *
 * <p>Operations are not done at once (as the real API's are not): the call that starts one answers
 * {@code done=false}; it is done from the second call after it (a client's second poll) or after
 * {@link #operationDelay}, whichever comes first. A job execution's operation is done when its
 * tasks have run ({@link JobRuns}).
 */
final class CloudRunStore {

  /** An operation not done yet: what finishing it does, and since when it waits. */
  static final class Pending {
    final String name;
    final Instant created;
    final Supplier<Instant> readyAt;
    final Supplier<Operation> finish;
    boolean fresh = true;
    int reads;

    Pending(String name, Instant created, Supplier<Instant> readyAt, Supplier<Operation> finish) {
      this.name = name;
      this.created = created;
      this.readyAt = readyAt;
      this.finish = finish;
    }
  }

  final Map<String, Service> services = new LinkedHashMap<>();
  final Map<String, Revision> revisions = new LinkedHashMap<>();
  final Map<String, RevisionTemplate> revisionTemplates = new LinkedHashMap<>();
  final Map<String, Job> jobs = new LinkedHashMap<>();
  final Map<String, Execution> executions = new LinkedHashMap<>();
  final Map<String, List<Task>> tasks = new LinkedHashMap<>();
  final Map<String, Operation> operations = new LinkedHashMap<>();
  private final Map<String, Pending> pending = new LinkedHashMap<>();

  private final Clock clock;
  private final Duration operationDelay;
  private long etags;

  CloudRunStore(Clock clock, Duration operationDelay) {
    this.clock = clock;
    this.operationDelay = operationDelay;
  }

  /** Runs one call under the lock: settles what is due first, then counts the call as a read. */
  synchronized <T> T run(Supplier<T> call) {
    settle();
    T answer = call.get();
    for (Pending p : pending.values()) {
      if (p.fresh) {
        p.fresh = false;
      } else {
        p.reads++;
      }
    }
    return answer;
  }

  /** Finishes the operations that are due, oldest first. */
  private void settle() {
    Instant now = clock.instant();
    for (Pending p : new ArrayList<>(pending.values())) {
      boolean waited = p.reads >= 1 || !now.isBefore(p.created.plus(operationDelay));
      if (waited && !now.isBefore(p.readyAt.get())) {
        pending.remove(p.name);
        operations.put(p.name, p.finish.get());
      }
    }
  }

  /**
   * Starts an operation: answered {@code done=false} with {@code metadata} until it is due, then
   * what {@code finish} returns (it changes the resources and builds the done operation).
   */
  Operation start(
      String location,
      com.google.protobuf.Message metadata,
      Supplier<Instant> readyAt,
      java.util.function.Function<String, Operation> finish) {
    String name = location + "/operations/" + UUID.randomUUID();
    Operation op =
        Operation.newBuilder()
            .setName(name)
            .setMetadata(com.google.protobuf.Any.pack(metadata))
            .setDone(false)
            .build();
    operations.put(name, op);
    pending.put(name, new Pending(name, clock.instant(), readyAt, () -> finish.apply(name)));
    return op;
  }

  /** An operation that needs nothing but the wait. */
  Operation start(
      String location,
      com.google.protobuf.Message metadata,
      java.util.function.Function<String, Operation> finish) {
    Instant now = clock.instant();
    return start(location, metadata, () -> now, finish);
  }

  Instant now() {
    return clock.instant();
  }

  Timestamp timestamp() {
    Instant now = clock.instant();
    return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
  }

  /** A new opaque etag: a resource's etag changes with each change to it. */
  String etag() {
    return "\"" + Long.toString(++etags * 7919 + 1_000_000, 36) + "\"";
  }

  /** {@code n} random lower-case letters, as generated names end. */
  static String letters(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
    }
    return b.toString();
  }

  /** {@code projects/P/locations/L} of a resource name under it. */
  static String location(String resourceName) {
    String[] parts = resourceName.split("/");
    return parts.length >= 4 ? String.join("/", parts[0], parts[1], parts[2], parts[3]) : "";
  }

  /** The last segment of a resource name. */
  static String id(String resourceName) {
    return resourceName.substring(resourceName.lastIndexOf('/') + 1);
  }
}
