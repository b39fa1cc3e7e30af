package dev.rollgate.aws.lambda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LambdaPrimingTest {

  @Test
  void start_shouldPrimeNothing_whenTurnedOff() {
    // WHEN ROLLGATE_PRIMING=off
    Thread thread = LambdaPriming.start(" OFF ", "rollgate.yaml", null);

    // THEN no priming thread runs
    assertNull(thread);
  }

  @Test
  void start_shouldReturnOnlyWhenPrimed_whenSnapStartTakesASnapshot() {
    // WHEN Lambda initialises an instance for a SnapStart snapshot
    Thread thread = LambdaPriming.start(null, "s3://deploy-config/rollgate.yaml", "snap-start");

    // THEN priming has ended when initialisation goes on, so the snapshot holds all it loaded and
    // no thread of it is caught half-way
    assertNotNull(thread);
    assertFalse(thread.isAlive());
  }
}
