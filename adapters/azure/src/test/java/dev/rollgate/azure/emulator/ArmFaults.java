package dev.rollgate.azure.emulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Faults the ARM fake plays on request, by the specs' operationId (ContainerApps_Update,
 * Jobs_Start, ...): the next call of an operation, or a seeded share of all calls. The statuses and
 * codes are ARM's: 429 with {@code Retry-After} (ARM's throttling, "Throttling and Retry-After" in
 * Azure Resource Manager's docs), 500 and 503 (ARM's transient errors), 409 (Container Apps refuses
 * a change while another operation runs on the app), and answers lost after the fake acted (the
 * connection is closed before any answer).
 */
public final class ArmFaults {

  /** What a fault does. */
  public enum Kind {
    THROTTLED,
    SERVER_ERROR,
    UNAVAILABLE,
    CONFLICT,
    LOST_ANSWER
  }

  /** Operations that change something: the only ones that conflict or lose their answer. */
  static final Set<String> MUTATIONS =
      Set.of(
          "ContainerApps_Update",
          "ContainerAppsRevisions_ActivateRevision",
          "ContainerAppsRevisions_DeactivateRevision",
          "Jobs_Start",
          "Jobs_StopExecution");

  private final Map<String, Deque<Kind>> next = new HashMap<>();
  private final Map<Kind, Integer> injected = new EnumMap<>(Kind.class);
  private double share;
  private Random random = new Random(1);

  /** Fails the next call of {@code operation} with {@code kind}. */
  public synchronized ArmFaults failNext(String operation, Kind kind) {
    next.computeIfAbsent(operation, o -> new ArrayDeque<>()).add(kind);
    return this;
  }

  /** Fails a share (0 to 1) of all calls, the kinds and calls chosen by a seeded random. */
  public synchronized ArmFaults share(double p, long seed) {
    this.share = p;
    this.random = new Random(seed);
    return this;
  }

  /** No more faults (those counted stay counted). */
  public synchronized void off() {
    share = 0;
    next.clear();
  }

  public synchronized int injected(Kind kind) {
    return injected.getOrDefault(kind, 0);
  }

  /** The fault for this call of {@code operation}, or null. */
  synchronized Kind take(String operation) {
    Deque<Kind> queued = next.get(operation);
    Kind kind = queued == null ? null : queued.poll();
    if (kind == null && share > 0 && random.nextDouble() < share) {
      List<Kind> kinds =
          MUTATIONS.contains(operation)
              ? List.of(Kind.values())
              : List.of(Kind.THROTTLED, Kind.SERVER_ERROR, Kind.UNAVAILABLE);
      kind = kinds.get(random.nextInt(kinds.size()));
    }
    if (kind != null) {
      injected.merge(kind, 1, Integer::sum);
    }
    return kind;
  }
}
