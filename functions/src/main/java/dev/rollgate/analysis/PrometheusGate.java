package dev.rollgate.analysis;

import dev.rollgate.core.manifest.PrometheusSpec;
import dev.rollgate.core.port.MetricsGate;
import dev.rollgate.core.port.SecretResolver;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The metrics gate over Prometheus's HTTP API: one instant query ({@code POST <url>/api/v1/query},
 * form-encoded, as Prometheus documents it for long queries) per evaluation, its placeholders
 * replaced by the canary's values; passes only when the query answers one or more series and every
 * value satisfies {@code expect}. Anything else fails closed, saying what Prometheus said: not
 * reachable, an HTTP error with Prometheus's own error text, an error status, no series, NaN, or
 * the series and value that break {@code expect}. The bearer token, when the spec names one, is
 * resolved at each evaluation and never appears in a verdict.
 */
public final class PrometheusGate implements MetricsGate {

  /** How long one query may take when the spec says nothing. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** How much of a body that is not Prometheus's JSON a reason quotes. */
  static final int SNIPPET = 200;

  private final SecretResolver secrets;
  // Built at the first evaluation: entries whose manifests have no Prometheus gate never load
  // the JDK's HTTP client (hundreds of classes on a Lambda cold start).
  private HttpClient http;

  public PrometheusGate(SecretResolver secrets) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
  }

  @Override
  public Verdict evaluate(PrometheusSpec spec, Map<String, String> vars) {
    try {
      return query(spec, vars);
    } catch (RuntimeException e) {
      // Fail closed, never throw: the engine treats the verdict as the analysis result.
      return new Verdict(false, where(spec) + ": the query could not be made: " + e);
    }
  }

  private Verdict query(PrometheusSpec spec, Map<String, String> vars) {
    Optional<String> missing = PromQlPlaceholders.missing(spec.query(), vars);
    if (missing.isPresent()) {
      return new Verdict(
          false,
          "the query uses {"
              + missing.get()
              + "} and the canary has no value for it; known: "
              + PromQlPlaceholders.NAMES.stream().filter(n -> vars.get(n) != null).toList());
    }
    String query = PromQlPlaceholders.expand(spec.query(), vars);
    Duration timeout =
        spec.timeout() == null || spec.timeout().isZero() || spec.timeout().isNegative()
            ? DEFAULT_TIMEOUT
            : spec.timeout();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint(spec.url()))
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "query="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8)
                        // Prometheus stops evaluating too, rather than working on for nobody.
                        + "&timeout="
                        + Math.max(1, timeout.toMillis())
                        + "ms"));
    if (spec.bearerToken() != null) {
      Optional<String> token = secrets.resolve(spec.bearerToken());
      if (token.isEmpty() || token.get().isBlank()) {
        return new Verdict(
            false,
            where(spec)
                + ": the bearer token "
                + spec.bearerToken()
                + " does not exist; set it, or remove bearer-token");
      }
      request.header("Authorization", "Bearer " + token.get().strip());
    }
    HttpResponse<String> response;
    try {
      response = client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      return unreachable(spec, "no connection within " + seconds(timeout));
    } catch (HttpTimeoutException e) {
      return new Verdict(
          false,
          where(spec) + ": no answer within " + seconds(timeout) + " (query: " + query + ")");
    } catch (ConnectException e) {
      return unreachable(spec, "connection refused");
    } catch (IOException e) {
      return unreachable(spec, e.getMessage() == null ? e.toString() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Verdict(false, where(spec) + ": interrupted while waiting for the answer");
    }
    String body = response.body() == null ? "" : response.body();
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      String error = PrometheusAnswer.error(body);
      return new Verdict(
          false,
          where(spec)
              + " answered HTTP "
              + status
              + ": "
              + (error != null ? error : snippet(body))
              + (status == 401 || status == 403
                  ? spec.bearerToken() == null
                      ? " (the server wants credentials: set bearer-token)"
                      : " (check the bearer token " + spec.bearerToken() + ")"
                  : "")
              + " (query: "
              + query
              + ")");
    }
    Verdict v = PrometheusAnswer.judge(body, spec.expect());
    return new Verdict(v.pass(), where(spec) + ": " + v.detail() + " (query: " + query + ")");
  }

  private synchronized HttpClient client() {
    if (http == null) {
      http =
          HttpClient.newBuilder()
              .connectTimeout(DEFAULT_TIMEOUT)
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
    }
    return http;
  }

  /** {@code <url>/api/v1/query}, keeping a path prefix the server is served under. */
  static URI endpoint(URI base) {
    String s = base.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s + "/api/v1/query");
  }

  private static Verdict unreachable(PrometheusSpec spec, String why) {
    return new Verdict(false, where(spec) + " is unreachable: " + why);
  }

  private static String where(PrometheusSpec spec) {
    return "Prometheus at " + spec.url();
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** The start of a body that is not Prometheus's JSON (a proxy's page), on one line. */
  static String snippet(String body) {
    String one = body.strip().replaceAll("\\s+", " ");
    if (one.isEmpty()) {
      return "(empty body)";
    }
    return one.length() > SNIPPET ? "'" + one.substring(0, SNIPPET) + "...'" : "'" + one + "'";
  }
}
