package dev.rollgate.core.manifest;

import java.net.URI;
import java.time.Duration;

/**
 * A Prometheus query that gates a canary ({@code strategy.canary.analysis.prometheus} in the
 * manifest): evaluated as an instant query during each pause; the canary step passes only when the
 * query returns data and every value satisfies {@code expect}.
 *
 * @param url the Prometheus server's base URL (the query goes to {@code <url>/api/v1/query})
 * @param query PromQL; {@code {revision}}, {@code {service}}, {@code {app}} and {@code
 *     {environment}} are replaced by the canary's values before it is sent
 * @param expect what each value must satisfy, e.g. {@code < 0.01}
 * @param bearerToken reference to a bearer token for the server, or null to go without one
 * @param timeout how long one query may take (default 5s); a timeout fails the step closed
 * @param path where this sits in the manifest, for messages
 */
public record PrometheusSpec(
    URI url, String query, Threshold expect, SecretRef bearerToken, Duration timeout, String path) {

  /**
   * A comparison against a number: {@code < 0.01}, {@code <= 5}, {@code > 0.99}, {@code >= 1},
   * {@code == 0}.
   */
  public record Threshold(String operator, double value) {

    public boolean holds(double actual) {
      if (Double.isNaN(actual)) {
        return false;
      }
      return switch (operator) {
        case "<" -> actual < value;
        case "<=" -> actual <= value;
        case ">" -> actual > value;
        case ">=" -> actual >= value;
        case "==" -> actual == value;
        default -> throw new IllegalStateException("unknown operator " + operator);
      };
    }

    @Override
    public String toString() {
      return operator + " " + value;
    }
  }
}
