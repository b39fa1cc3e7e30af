package dev.rollgate.azure.functions.worker;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as Azure's Java worker hands it to a function ({@code HttpRequestMessage} of the
 * azure-functions-java-core-library): the worker's header map is case-insensitive, its query
 * parameters single-valued, its body the bytes of a {@code dataType = "binary"} binding.
 */
public final class HostHttpRequest implements HttpRequestMessage<Optional<byte[]>> {

  private final HttpMethod method;
  private final URI uri;
  private final byte[] body;
  private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final Map<String, String> query = new LinkedHashMap<>();

  public HostHttpRequest(HttpMethod method, String url, byte[] body, String... headerPairs) {
    this.method = method;
    this.uri = URI.create(url);
    this.body = body;
    for (int i = 0; i + 1 < headerPairs.length; i += 2) {
      headers.put(headerPairs[i], headerPairs[i + 1]);
    }
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        query.put(
            eq < 0 ? pair : pair.substring(0, eq),
            eq < 0
                ? ""
                : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
  }

  @Override
  public URI getUri() {
    return uri;
  }

  @Override
  public HttpMethod getHttpMethod() {
    return method;
  }

  @Override
  public Map<String, String> getHeaders() {
    return headers;
  }

  @Override
  public Map<String, String> getQueryParameters() {
    return query;
  }

  @Override
  public Optional<byte[]> getBody() {
    return Optional.ofNullable(body);
  }

  @Override
  public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
    return new Response.Builder(status);
  }

  @Override
  public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
    return new Response.Builder(status);
  }

  /** The response the worker would send: status, headers (case-insensitive), body. */
  public record Response(HttpStatusType getStatus, Map<String, String> headers, Object getBody)
      implements HttpResponseMessage {

    @Override
    public String getHeader(String name) {
      return headers.get(name);
    }

    /** The body as text. */
    public String text() {
      return getBody instanceof byte[] b
          ? new String(b, StandardCharsets.UTF_8)
          : String.valueOf(getBody);
    }

    static final class Builder implements HttpResponseMessage.Builder {
      private HttpStatusType status;
      private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      private Object body;

      Builder(HttpStatusType status) {
        this.status = status;
      }

      @Override
      public HttpResponseMessage.Builder status(HttpStatusType status) {
        this.status = status;
        return this;
      }

      @Override
      public HttpResponseMessage.Builder header(String key, String value) {
        headers.put(key, value);
        return this;
      }

      @Override
      public HttpResponseMessage.Builder body(Object body) {
        this.body = body;
        return this;
      }

      @Override
      public HttpResponseMessage build() {
        return new Response(status, headers, body);
      }
    }
  }
}
