package dev.rollgate.core.manifest;

import java.time.Duration;

/**
 * What "healthy" means for an environment, with the defaults written here.
 *
 * @param url probe URL; {@code {url}} is replaced by the service's stable URL (default {@code
 *     {url}/health})
 * @param expectStatus expected HTTP status (default 200)
 * @param jsonField optional JSON field of the response body to check (e.g. {@code status})
 * @param jsonValue the value that field must have (e.g. {@code UP})
 * @param interval time between probes (default 2s)
 * @param timeout per-probe timeout (default 2s)
 * @param successThreshold consecutive healthy probes needed (default 3)
 * @param failureThreshold consecutive unhealthy probes that fail the deployment (default 3)
 * @param deadline overall time allowed for verification (default 120s)
 */
public record HealthSpec(
    String url,
    int expectStatus,
    String jsonField,
    String jsonValue,
    Duration interval,
    Duration timeout,
    int successThreshold,
    int failureThreshold,
    Duration deadline) {

  public static HealthSpec defaults() {
    return new HealthSpec(
        "{url}/health",
        200,
        null,
        null,
        Duration.ofSeconds(2),
        Duration.ofSeconds(2),
        3,
        3,
        Duration.ofSeconds(120));
  }

  /** The probe URL for a service whose stable URL is {@code serviceUrl}. */
  public String resolveUrl(String serviceUrl) {
    return url.replace("{url}", serviceUrl == null ? "" : serviceUrl);
  }
}
