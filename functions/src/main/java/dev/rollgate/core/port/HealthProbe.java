package dev.rollgate.core.port;

import dev.rollgate.core.manifest.HealthSpec;

/**
 * Asks once whether a URL is healthy. The engine applies the thresholds and the deadline across
 * probes, so that verification survives across invocations.
 */
public interface HealthProbe {

  /** One probe of {@code url}, bounded by {@code spec.timeout()}; never throws. */
  Result probe(HealthSpec spec, String url);

  /** One probe's outcome and what a person needs to know about it. */
  record Result(boolean healthy, String detail) {}
}
