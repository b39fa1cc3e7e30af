package dev.rollgate.backup;

import dev.rollgate.core.port.BackupException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Works through items on a few connections at once, one item per connection at a time; stops taking
 * new items after the first failure and reports that failure.
 */
final class Parallel {

  /** Opens a worker's connection, set up for the work. */
  interface Opener {
    Connection open() throws Exception;
  }

  /** The work on one item. */
  interface Work<I, O> {
    O apply(Connection c, I item) throws Exception;
  }

  private Parallel() {}

  /** Runs {@code work} on every item (in list order as far as workers allow); results by item. */
  static <I, O> Map<I, O> run(List<I> items, int workers, Opener opener, Work<I, O> work)
      throws BackupException {
    Map<I, O> results = new IdentityHashMap<>();
    if (items.isEmpty()) {
      return results;
    }
    ConcurrentLinkedQueue<I> queue = new ConcurrentLinkedQueue<>(items);
    AtomicReference<Exception> failure = new AtomicReference<>();
    int n = Math.max(1, Math.min(workers, items.size()));
    ExecutorService pool =
        Executors.newFixedThreadPool(
            n,
            r -> {
              Thread t = new Thread(r, "rollgate-backup-worker");
              t.setDaemon(true);
              return t;
            });
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> {
                  try (Connection c = opener.open()) {
                    for (I item = queue.poll(); item != null; item = queue.poll()) {
                      if (failure.get() != null) {
                        return;
                      }
                      O out = work.apply(c, item);
                      synchronized (results) {
                        results.put(item, out);
                      }
                    }
                  } catch (Exception e) {
                    failure.compareAndSet(null, e);
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackupException("interrupted while working on " + items.size() + " tables", e);
    } catch (ExecutionException e) {
      failure.compareAndSet(null, new IllegalStateException(e.getCause()));
    } finally {
      pool.shutdownNow();
    }
    Exception e = failure.get();
    if (e instanceof BackupException b) {
      throw b;
    }
    if (e != null) {
      throw new BackupException(String.valueOf(e.getMessage()), e);
    }
    return results;
  }
}
