package dev.rollgate.core.port;

import dev.rollgate.core.manifest.PrometheusSpec;
import java.util.Map;

/**
 * Asks a metrics server whether a canary looks right ({@code analysis.prometheus} in the manifest).
 * Fails closed: a server that cannot be reached, a query that errors, returns no data or a value
 * that is not a number is a failed verdict with the reason, never a pass. Never throws.
 */
public interface MetricsGate {

  /** A gate for an assembly that has none: every evaluation fails, saying so. */
  MetricsGate NONE =
      (spec, vars) ->
          new Verdict(false, "no metrics gate is registered to evaluate " + spec.path());

  /**
   * Evaluates the query now.
   *
   * @param vars the values of {@code {revision}}, {@code {service}}, {@code {app}}, {@code
   *     {environment}} for the query's placeholders
   */
  Verdict evaluate(PrometheusSpec spec, Map<String, String> vars);

  /** The gate's answer, with what it saw (the values, or why there were none). */
  record Verdict(boolean pass, String detail) {}
}
