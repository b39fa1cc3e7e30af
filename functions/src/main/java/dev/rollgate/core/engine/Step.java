package dev.rollgate.core.engine;

import dev.rollgate.core.model.Deployment;
import java.time.Duration;

/**
 * One idempotent reconcile step of a deployment's lifecycle: it reads where the deployment stands,
 * does one thing, and records the result. Safe to run twice.
 */
interface Step {

  Outcome run(Deployment deployment) throws InterruptedException;

  /** The deployment as recorded after the step, and how long to wait before the next step. */
  record Outcome(Deployment deployment, Duration waitFor) {

    static Outcome next(Deployment d) {
      return new Outcome(d, Duration.ZERO);
    }

    static Outcome waiting(Deployment d, Duration wait) {
      return new Outcome(d, wait);
    }
  }
}
