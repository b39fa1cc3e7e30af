package dev.rollgate.notify;

import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.notify.NotificationEvent;
import dev.rollgate.core.port.Notifier;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs like {@link LogNotifier} and delivers the ledger's outbox on a thread of its own, so that a
 * slow or dead receiver never holds up a deployment: a request to deliver while a run is waiting to
 * start joins that run.
 */
public final class OutboxNotifier implements Notifier, AutoCloseable {

  private final LogNotifier log = new LogNotifier();
  private final OutboxDeliverer deliverer;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "rollgate-notify");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean queued = new AtomicBoolean();

  public OutboxNotifier(OutboxDeliverer deliverer) {
    this.deliverer = deliverer;
  }

  @Override
  public void notify(Deployment deployment, String message) {
    log.notify(deployment, message);
    deliver();
  }

  @Override
  public void alert(String app, String environment, String subject, String message) {
    log.alert(app, environment, subject, message);
    deliverer.enqueue(app, environment, alertEvent(message), message);
    deliver();
  }

  @Override
  public void backedUp(String app, String environment, boolean verified, String message) {
    deliverer.enqueue(
        app,
        environment,
        verified ? NotificationEvent.BACKUP_VERIFIED : NotificationEvent.BACKUP_TAKEN,
        message);
    deliver();
  }

  /** Backup alerts name their subject loosely; a missed RPO says so in its message. */
  static NotificationEvent alertEvent(String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    return m.contains("recovery point objective")
        ? NotificationEvent.RPO_EXCEEDED
        : NotificationEvent.BACKUP_FAILED;
  }

  @Override
  public void deliver() {
    if (queued.compareAndSet(false, true)) {
      try {
        worker.execute(
            () -> {
              queued.set(false);
              deliverer.deliver();
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        queued.set(false);
      }
    }
  }

  /** Delivers now, on the caller's thread: for hosts that run a delivery pass themselves. */
  public void deliverNow() {
    deliverer.deliver();
  }

  @Override
  public void close() {
    worker.shutdown();
  }
}
