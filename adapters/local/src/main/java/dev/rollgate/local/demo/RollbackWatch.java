package dev.rollgate.local.demo;

import java.util.concurrent.atomic.AtomicLong;

/** Polls a health URL while a bad version rolls out, to time the rollback as a user sees it. */
final class RollbackWatch {
  private final Thread thread;
  private final AtomicLong firstBad = new AtomicLong(-1);
  private final AtomicLong recovered = new AtomicLong(-1);
  private volatile boolean running = true;

  private RollbackWatch(DemoClient client, String url, String bad, String good) {
    thread =
        new Thread(
            () -> {
              while (running) {
                String body = client.fetch(url);
                long now = System.nanoTime();
                if (body != null
                    && body.contains("\"version\":\"" + bad + "\"")
                    && body.contains("DOWN")) {
                  firstBad.compareAndSet(-1, now);
                } else if (body != null
                    && firstBad.get() >= 0
                    && body.contains("\"version\":\"" + good + "\"")) {
                  recovered.compareAndSet(-1, now);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
              }
            },
            "rollback-watch");
    thread.setDaemon(true);
  }

  static RollbackWatch start(DemoClient client, String url, String bad, String good) {
    RollbackWatch w = new RollbackWatch(client, url, bad, good);
    w.thread.start();
    return w;
  }

  void stop() throws InterruptedException {
    running = false;
    thread.join(5000);
  }

  long recoveryMillis() {
    return firstBad.get() < 0 || recovered.get() < 0
        ? -1
        : (recovered.get() - firstBad.get()) / 1_000_000;
  }
}
