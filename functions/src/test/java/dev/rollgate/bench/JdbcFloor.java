package dev.rollgate.bench;

import dev.rollgate.bench.JdbcRecorder.Call;
import dev.rollgate.bench.JdbcRecorder.Recording;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The engine's floor: a bare JDBC client replaying exactly the JDBC calls the engine made for each
 * event (the same connections taken from the same kind of pool, the same statements and parameters,
 * the same transactions) from the same number of concurrent callers, with no engine, decoding,
 * manifest or JSON around them. One app's calls replay in their original order, so the ledger's
 * rules (one active deployment per app) see the states they saw; the latency of a rollout is the
 * time from its call's first JDBC call to the point where the engine issued it.
 */
final class JdbcFloor {

  private static final boolean DEBUG = System.getenv("BENCH_DEBUG") != null;

  private JdbcFloor() {}

  /** The floor's latencies in nanoseconds, one per rollout, and the calls that failed. */
  record Result(long[] latencies, int failedCalls) {}

  static Result replay(DataSource pool, List<Recording> recordings, int callers) throws Exception {
    Map<String, List<Recording>> byKey = new LinkedHashMap<>();
    for (Recording r : recordings) {
      byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
    }
    byKey.values().forEach(l -> l.sort(java.util.Comparator.comparingLong(Recording::started)));
    ExecutorService threads = Executors.newFixedThreadPool(callers);
    AtomicInteger failed = new AtomicInteger();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    List<Future<?>> runs = new ArrayList<>();
    for (List<Recording> inOrder : byKey.values()) {
      runs.add(
          threads.submit(
              () -> {
                Map<String, Long> receivedAt = new HashMap<>();
                for (Recording r : inOrder) {
                  failed.addAndGet(play(pool, r, receivedAt, latencies));
                }
                return null;
              }));
    }
    for (Future<?> run : runs) {
      run.get();
    }
    threads.shutdown();
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Result(sorted, failed.get());
  }

  /**
   * Plays one recording; returns how many of its statement, connection or transaction calls failed
   * (a replay is not the original: a query may find other rows, and reading them is skipped).
   */
  private static int play(
      DataSource pool,
      Recording recording,
      Map<String, Long> receivedAt,
      ConcurrentLinkedQueue<Long> out)
      throws Exception {
    Map<Integer, Object> objects = new HashMap<>();
    objects.put(0, pool);
    int failed = 0;
    long start = System.nanoTime();
    recording.received().forEach(d -> receivedAt.putIfAbsent(d, start));
    List<Call> calls = recording.calls();
    for (int i = 0; i <= calls.size(); i++) {
      for (JdbcRecorder.Mark mark : recording.marks()) {
        if (mark.index() == i) {
          out.add(System.nanoTime() - receivedAt.getOrDefault(mark.deployment(), start));
        }
      }
      if (i == calls.size()) {
        break;
      }
      Call call = calls.get(i);
      Object target = objects.get(call.target());
      if (target == null) {
        failed++;
        continue;
      }
      Method method = call.type().getMethod(call.method(), call.types());
      try {
        Object result = method.invoke(target, call.args());
        if (call.result() >= 0) {
          objects.put(call.result(), result);
        }
      } catch (InvocationTargetException e) {
        if (call.type() == java.sql.ResultSet.class) {
          continue; // a query that found other rows than the original: its statement did run
        }
        if (failed++ == 0 && DEBUG) {
          System.err.println(
              "floor: " + call.type().getSimpleName() + "." + call.method() + ": " + e.getCause());
        }
      }
    }
    return failed;
  }
}
