package dev.rollgate.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.manifest.HealthSpec;
import dev.rollgate.core.port.HealthProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * Probes a URL over HTTP: healthy when the status is the expected one and, if the spec names a JSON
 * field, that field of the body has the expected text. Built on {@link HttpURLConnection}, which
 * the AWS SDK's url-connection client loads anyway: on a Lambda cold start the probe then costs no
 * second HTTP stack (the JDK's {@code java.net.http} client loads about 400 classes more). The
 * connection goes direct (no proxy), follows no redirect, and keeps alive between probes.
 */
public final class HttpHealthProbe implements HealthProbe {

  /** Health bodies are small; anything beyond this is not read, so it cannot exhaust memory. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Result probe(HealthSpec given, String url) {
    HealthSpec spec = given == null ? HealthSpec.defaults() : given;
    Duration timeout =
        spec.timeout() == null || spec.timeout().isZero() || spec.timeout().isNegative()
            ? DEFAULT_TIMEOUT
            : spec.timeout();
    URL target;
    try {
      URI uri = URI.create(url);
      if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
          || uri.getHost() == null) {
        return unhealthy("not an absolute http(s) URL: '" + url + "'");
      }
      target = uri.toURL();
    } catch (IllegalArgumentException | NullPointerException | IOException e) {
      return unhealthy("not an absolute http(s) URL: '" + url + "'");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpURLConnection connection = null;
    try {
      // The JVM's proxy settings apply (http.proxyHost, http.nonProxyHosts), as for the SDK.
      connection = (HttpURLConnection) target.openConnection();
      int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setRequestProperty("Accept", "application/json, */*;q=0.5");
      int status = connection.getResponseCode();
      boolean needBody =
          status == spec.expectStatus() && spec.jsonField() != null && !spec.jsonField().isBlank();
      InputStream stream =
          status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      Body body = stream == null ? new Body(new byte[0], false) : read(stream, deadline);
      if (body == null) {
        connection.disconnect();
        return needBody ? unhealthy(noAnswer(timeout, url)) : judge(spec, url, status, null);
      }
      if (body.truncated()) {
        connection.disconnect(); // the rest is never read: the connection cannot be reused
      }
      return judge(spec, url, status, needBody ? body : null);
    } catch (IOException | RuntimeException e) {
      if (connection != null) {
        connection.disconnect();
      }
      return unhealthy(describe(e, timeout, url));
    }
  }

  /**
   * At most {@link #MAX_BODY_BYTES} of the body (read whole, also when only the status counts, so
   * that the connection is kept alive); null when the deadline passed while reading. Each read
   * waits at most the timeout, so a body that trickles in ends the probe within about twice the
   * timeout.
   */
  private static Body read(InputStream in, long deadline) throws IOException {
    try (in) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      while (true) {
        int n = in.read(chunk, 0, Math.min(chunk.length, MAX_BODY_BYTES + 1 - buffer.size()));
        if (n < 0) {
          return new Body(buffer.toByteArray(), false);
        }
        buffer.write(chunk, 0, n);
        if (buffer.size() > MAX_BODY_BYTES) {
          return new Body(buffer.toByteArray(), true);
        }
        if (System.nanoTime() - deadline > 0) {
          return null;
        }
      }
    }
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
      if (t instanceof SocketTimeoutException) {
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
}
