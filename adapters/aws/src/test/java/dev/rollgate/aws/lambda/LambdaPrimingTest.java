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

  @Test
  void prime_shouldRunToTheEnd_whenNothingIsConfigured() {
    // GIVEN a logger that hears priming stop early
    java.util.logging.Logger log =
        java.util.logging.Logger.getLogger(LambdaPriming.class.getName());
    java.util.List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            heard.add(r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(handler);
    try {
      // WHEN priming runs (ECS path, manifest, an ECR push decoded, classes loaded)
      LambdaPriming.prime(false);
    } finally {
      log.removeHandler(handler);
    }
    // THEN no step stopped it
    org.junit.jupiter.api.Assertions.assertTrue(
        heard.stream().noneMatch(m -> m != null && m.contains("stopped early")), heard.toString());
  }
}
