package dev.rollgate.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyRollgateTest {

  private static Rollgate empty(AtomicInteger closed) {
    return new Rollgate(null, null, null, List.of(closed::incrementAndGet));
  }

  @Test
  void get_shouldAssembleOnce_whenEightCallersArriveAtOnce() throws Exception {
    // GIVEN a lazy rollgate whose assembly is counted
    AtomicInteger assemblies = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    LazyRollgate lazy =
        new LazyRollgate(
            () -> {
              assemblies.incrementAndGet();
              return empty(closed);
            });
    assertFalse(lazy.isAssembled());
    // WHEN eight callers ask for it at the same moment
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Rollgate>> got = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      got.add(
          pool.submit(
              () -> {
                go.await();
                return lazy.get();
              }));
    }
    go.countDown();
    // THEN it was assembled once, and all got the same one
    Rollgate first = got.get(0).get(10, TimeUnit.SECONDS);
    for (Future<Rollgate> f : got) {
      assertSame(first, f.get(10, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertEquals(1, assemblies.get());
    lazy.close();
    assertEquals(1, closed.get());
  }

  @Test
  void get_shouldTryAgain_whenTheFirstAssemblyFailed() {
    // GIVEN an assembly that fails once (a database not up yet)
    AtomicInteger attempts = new AtomicInteger();
    LazyRollgate lazy =
        new LazyRollgate(
            () -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("ledger unreachable");
              }
              return empty(new AtomicInteger());
            });
    // WHEN it is asked for twice
    assertThrows(IllegalStateException.class, lazy::get);
    // THEN the second call assembles it
    lazy.get();
    assertTrue(lazy.isAssembled());
    assertEquals(2, attempts.get());
  }
}
