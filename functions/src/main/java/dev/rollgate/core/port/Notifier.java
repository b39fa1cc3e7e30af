package dev.rollgate.core.port;

import dev.rollgate.core.model.Deployment;

/** Tells people about deployments that reached an outcome worth knowing. */
public interface Notifier {

  /** Called after the ledger recorded {@code deployment}'s new phase; must not throw. */
  void notify(Deployment deployment, String message);
}
