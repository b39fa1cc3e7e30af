package dev.rollgate.core.engine;

import dev.rollgate.core.model.Deployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The scheduled sweep: advances every deployment with work left, including those whose run died
 * (their lease expired), so that nothing recorded is ever lost.
 */
public final class Reconciler {

  private final DeploymentEngine engine;

  public Reconciler(DeploymentEngine engine) {
    this.engine = engine;
  }

  /** Advances what is in flight until done or the budget is spent; returns what it touched. */
  public List<Deployment> run(Instant budgetEnd) throws InterruptedException {
    List<Deployment> touched = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Deployment d : engine.ledger().inFlight(engine.clock().now())) {
      if (!engine.clock().now().isBefore(budgetEnd)) {
        break;
      }
      if (seen.add(d.app() + "/" + d.environment() + "/" + d.id())) {
        touched.add(engine.advance(d, budgetEnd));
      }
    }
    engine.deliverNotifications();
    return touched;
  }
}
