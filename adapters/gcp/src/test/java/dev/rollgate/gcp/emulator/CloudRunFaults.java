package dev.rollgate.gcp.emulator;

import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Faults the Cloud Run fake injects, for tests: a share of all calls, or the next call of one
 * method. Off unless a test turns them on.
 *
 * <ul>
 *   <li>{@link Kind#UNAVAILABLE}, {@link Kind#RESOURCE_EXHAUSTED}: the call is refused before it
 *       does anything (a 503, a quota);
 *   <li>{@link Kind#ETAG_CONFLICT}: someone else changed the resource just before an update, so the
 *       client's etag is stale and the update is ABORTED, as the real API answers it;
 *   <li>{@link Kind#LOST_ANSWER}: the change is made, but the client sees UNAVAILABLE (the answer
 *       was lost on the way back).
 * </ul>
 */
public final class CloudRunFaults {

  /** What goes wrong. */
  public enum Kind {
    UNAVAILABLE,
    RESOURCE_EXHAUSTED,
    ETAG_CONFLICT,
    LOST_ANSWER
  }

  /** Calls that change something: the only ones whose answer can be lost after the change. */
  static final Set<String> WRITES =
      Set.of("CreateService", "UpdateService", "CreateJob", "UpdateJob", "RunJob");

  /** Calls that carry an etag. */
  static final Set<String> UPDATES = Set.of("UpdateService", "UpdateJob");

  private final Map<Kind, Integer> injected = new EnumMap<>(Kind.class);
  private final Map<String, Integer> calls = new java.util.HashMap<>();
  private final Map<String, Deque<Kind>> next = new java.util.HashMap<>();
  private double share;
  private Random random = new Random(0);
  private List<Kind> kinds = List.of(Kind.values());

  /**
   * Fails {@code share} (0..1) of all calls, drawing from {@code kinds} (all when empty) with a
   * seeded generator, so that a failing run can be replayed.
   */
  public synchronized CloudRunFaults share(double share, long seed, Kind... kinds) {
    this.share = share;
    this.random = new Random(seed);
    this.kinds = kinds.length == 0 ? List.of(Kind.values()) : List.of(kinds);
    return this;
  }

  /** Fails the next call of {@code method} (e.g. {@code UpdateService}) with {@code kind}. */
  public synchronized CloudRunFaults failNext(String method, Kind kind) {
    next.computeIfAbsent(method, m -> new ArrayDeque<>()).add(kind);
    return this;
  }

  /** Turns every fault off. */
  public synchronized void off() {
    share = 0;
    next.clear();
  }

  /** How many faults of {@code kind} were injected so far. */
  public synchronized int injected(Kind kind) {
    return injected.getOrDefault(kind, 0);
  }

  /** How many calls of {@code method} (e.g. {@code UpdateService}) arrived, faulted ones too. */
  public synchronized int calls(String method) {
    return calls.getOrDefault(method, 0);
  }

  /** The fault for this call of {@code method}, or null: drawn among the kinds that fit it. */
  synchronized Kind draw(String method) {
    calls.merge(method, 1, Integer::sum);
    Deque<Kind> queued = next.get(method);
    Kind kind = null;
    if (queued != null && !queued.isEmpty()) {
      kind = fits(queued.peek(), method) ? queued.poll() : null;
    } else if (share > 0 && random.nextDouble() < share) {
      List<Kind> fitting = kinds.stream().filter(k -> fits(k, method)).toList();
      kind = fitting.isEmpty() ? null : fitting.get(random.nextInt(fitting.size()));
    }
    if (kind != null) {
      injected.merge(kind, 1, Integer::sum);
    }
    return kind;
  }

  private static boolean fits(Kind kind, String method) {
    return switch (kind) {
      case LOST_ANSWER -> WRITES.contains(method);
      case ETAG_CONFLICT -> UPDATES.contains(method);
      default -> true;
    };
  }

  /** The status a refused call answers with. */
  static Status refusal(Kind kind, String method) {
    return switch (kind) {
      case RESOURCE_EXHAUSTED ->
          Status.RESOURCE_EXHAUSTED.withDescription(
              "Quota exceeded for quota metric 'Write requests' of service run.googleapis.com"
                  + " (injected by the fake into "
                  + method
                  + ")");
      default ->
          Status.UNAVAILABLE.withDescription(
              "The service is currently unavailable (injected by the fake into " + method + ")");
    };
  }
}
