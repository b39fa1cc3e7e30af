package dev.rollgate.core.port;

import dev.rollgate.core.model.Deployment;

/** Tells people about deployments that reached an outcome, and about alerts worth knowing. */
public interface Notifier {

  /** Called after the ledger recorded {@code deployment}'s new phase; must not throw. */
  void notify(Deployment deployment, String message);

  /**
   * Something about an app and environment that is not a deployment: a failed backup, a backup that
   * did not restore, a recovery point objective missed. Must not throw; the default says nothing,
   * for notifiers that only speak about deployments.
   *
   * @param subject what the alert is about, e.g. {@code verify-backup}
   */
  default void alert(String app, String environment, String subject, String message) {}

  /**
   * A backup was taken ({@code verified} false) or passed its restore test ({@code verified} true).
   * Must not throw; the default says nothing.
   */
  default void backedUp(String app, String environment, boolean verified, String message) {}

  /**
   * Called after the ledger recorded any phase change, and at the end of each reconcile: a notifier
   * with an outbox sends what waits there. Must not throw, and must not hold up the caller for
   * long; the default does nothing.
   */
  default void deliver() {}
}
