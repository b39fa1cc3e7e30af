package dev.rollgate.azure.functions;

import com.microsoft.azure.functions.HttpRequestMessage;
import dev.rollgate.spring.RollgateAssembly;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * What Azure's Java worker hands a function, as the message rollgate's functions take: an HTTP
 * request (its body's bytes, headers, query and {@code /webhook/<name>} path), or the text of an
 * event (an Event Grid event in either schema, a timer's {@code TimerInfo}), which the events
 * module recognises by its shape.
 */
final class AzureMessages {

  private AzureMessages() {}

  /** The HTTP request; its headers kept apart from the message's own (Spring reserves names). */
  static Message<byte[]> http(HttpRequestMessage<Optional<byte[]>> request) {
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().orElse(new byte[0]);
    Map<String, String> headers = new LinkedHashMap<>();
    if (request.getHeaders() != null) {
      request
          .getHeaders()
          .forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
    }
    Map<String, String> query = new LinkedHashMap<>();
    if (request.getQueryParameters() != null) {
      // "code" is the function key the Functions host checked; rollgate has no use for it.
      request
          .getQueryParameters()
          .forEach(
              (name, value) -> {
                if (!name.equals("code")) {
                  query.put(name, value);
                }
              });
    }
    String endpoint =
        request.getUri() == null
            ? null
            : RollgateAssembly.webhookEndpoint(request.getUri().getPath());
    if (endpoint != null) {
      query.putIfAbsent("endpoint", endpoint);
    }
    return MessageBuilder.withPayload(body)
        .setHeader(RollgateAssembly.HTTP_HEADERS_HEADER, headers)
        .setHeader(RollgateAssembly.QUERY_HEADER, query)
        .build();
  }

  /** An event's or a timer's JSON text, as the trigger binding passes it. */
  static Message<byte[]> event(String json, String contentType) {
    return MessageBuilder.withPayload((json == null ? "" : json).getBytes(StandardCharsets.UTF_8))
        .setHeader(RollgateAssembly.HTTP_HEADERS_HEADER, Map.of("content-type", contentType))
        .setHeader(RollgateAssembly.QUERY_HEADER, Map.of())
        .build();
  }
}
