package dev.rollgate.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.manifest.HealthSpec;
import dev.rollgate.core.port.HealthProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Probes a URL over HTTP with {@link HttpClient}: healthy when the status is the expected one and,
 * if the spec names a JSON field, that field of the body has the expected text.
 */
public final class HttpHealthProbe implements HealthProbe {

  /** Health bodies are small; anything beyond this is not read, so it cannot exhaust memory. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  // HttpClient fixes its connect timeout at build time; specs rarely differ, so this holds one
  // client per distinct timeout (in practice one) and each keeps its connection pool.
  private final Map<Duration, HttpClient> clients = new ConcurrentHashMap<>();

  @Override
  public Result probe(HealthSpec given, String url) {
    HealthSpec spec = given == null ? HealthSpec.defaults() : given;
    Duration timeout =
        spec.timeout() == null || spec.timeout().isZero() || spec.timeout().isNegative()
            ? DEFAULT_TIMEOUT
            : spec.timeout();
    HttpRequest request;
    try {
      URI uri = URI.create(url);
      if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
          || uri.getHost() == null) {
        return unhealthy("not an absolute http(s) URL: '" + url + "'");
      }
      request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    } catch (IllegalArgumentException | NullPointerException e) {
      return unhealthy("not an absolute http(s) URL: '" + url + "'");
    }

    CompletableFuture<HttpResponse<Body>> future;
    try {
      future = client(timeout).sendAsync(request, info -> new CappedBodySubscriber(MAX_BODY_BYTES));
    } catch (RuntimeException e) {
      return unhealthy(describe(e, timeout, url));
    }
    HttpResponse<Body> response;
    try {
      // The request timeout stops at the response headers; this bounds the body as well.
      response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return unhealthy(noAnswer(timeout, url));
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return unhealthy("interrupted while probing " + url);
    } catch (ExecutionException e) {
      return unhealthy(describe(e.getCause(), timeout, url));
    }
    return judge(spec, url, response.statusCode(), response.body());
  }

  private static Result judge(HealthSpec spec, String url, int status, Body body) {
    if (status != spec.expectStatus()) {
      return unhealthy(status + " from " + url + ", expected " + spec.expectStatus());
    }
    String field = spec.jsonField();
    if (field == null || field.isBlank()) {
      return new Result(true, status + " from " + url);
    }
    if (body.truncated()) {
      return unhealthy(
          "body from " + url + " is larger than " + MAX_BODY_BYTES / 1024 + " KiB; not read");
    }
    JsonNode root;
    try {
      root = JSON.readTree(body.bytes());
    } catch (JsonProcessingException e) {
      return unhealthy("body from " + url + " is not JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      return unhealthy("body from " + url + " is unreadable: " + e.getClass().getSimpleName());
    }
    if (root == null || !root.isObject()) {
      return unhealthy(
          "body from " + url + " is not a JSON object, so it has no field '" + field + "'");
    }
    JsonNode node = root;
    for (String part : field.split("\\.", -1)) {
      node = node.isObject() ? node.get(part) : null;
      if (node == null) {
        return unhealthy("field '" + field + "' missing from the body of " + url);
      }
    }
    String actual = node.isValueNode() ? node.asText() : node.toString();
    if (!actual.equals(spec.jsonValue())) {
      return unhealthy(
          field + " is '" + abbreviate(actual) + "', expected '" + spec.jsonValue() + "'");
    }
    return new Result(true, status + " from " + url + ", " + field + " is '" + actual + "'");
  }

  private static String describe(Throwable error, Duration timeout, String url) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof HttpTimeoutException) {
        return noAnswer(timeout, url);
      }
      if (t instanceof ConnectException) {
        return "connection refused by " + url;
      }
      if (t instanceof UnknownHostException) {
        return "unknown host in " + url + "; check the service URL";
      }
      if (t instanceof SSLException) {
        return "TLS with " + url + " failed: " + firstLine(t.getMessage());
      }
    }
    String message = error == null ? null : error.getMessage();
    String kind = error == null ? "error" : error.getClass().getSimpleName();
    return "no usable answer from "
        + url
        + ": "
        + (message == null ? kind : kind + ": " + firstLine(message));
  }

  private HttpClient client(Duration timeout) {
    return clients.computeIfAbsent(
        timeout,
        t ->
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(t)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
  }

  private static String noAnswer(Duration timeout, String url) {
    return "no answer within " + timeout.toMillis() + "ms from " + url;
  }

  private static Result unhealthy(String detail) {
    return new Result(false, detail);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return abbreviate(nl < 0 ? s : s.substring(0, nl));
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  /** The first bytes of a body, and whether there were more. */
  private record Body(byte[] bytes, boolean truncated) {}

  /** Collects at most {@code limit} bytes, then cancels the rest of the body. */
  private static final class CappedBodySubscriber implements HttpResponse.BodySubscriber<Body> {
    private final int limit;
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    CappedBodySubscriber(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<Body> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        int n = Math.min(item.remaining(), limit - buffer.size());
        byte[] chunk = new byte[n];
        item.get(chunk);
        buffer.write(chunk, 0, n);
        if (item.hasRemaining()) {
          result.complete(new Body(buffer.toByteArray(), true));
          subscription.cancel();
          return;
        }
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(new Body(buffer.toByteArray(), false));
    }
  }
}
