package dev.rollgate.spring;

import dev.rollgate.core.api.FunctionRequest;
import dev.rollgate.core.api.FunctionResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/** Translates between Spring messages and rollgate's plain function requests and responses. */
final class Messages {

  /** Header holding the query parameters, as a {@code Map<String, String>}. */
  static final String QUERY = "rollgate-query";

  /**
   * Header holding an HTTP request's own headers, as a {@code Map<String, String>}: kept apart from
   * the message's headers, so that no client header can take a name Spring or Spring Cloud Function
   * reserve ({@code id}, {@code timestamp}, {@code contentType}, {@code scf-func-name} ...).
   */
  static final String HTTP_HEADERS = "rollgate-http-headers";

  private Messages() {}

  static FunctionRequest request(Message<byte[]> message) {
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, String> query = new LinkedHashMap<>();
    message
        .getHeaders()
        .forEach(
            (name, value) -> {
              if (QUERY.equals(name) && value instanceof Map<?, ?> q) {
                q.forEach((k, v) -> query.put(String.valueOf(k), String.valueOf(v)));
              } else if (value instanceof String s && !HTTP_HEADERS.equals(name)) {
                headers.put(name, s);
              }
            });
    // The HTTP request's own headers win over message headers of the same name.
    if (message.getHeaders().get(HTTP_HEADERS) instanceof Map<?, ?> http) {
      http.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
    }
    return new FunctionRequest(message.getPayload(), headers, query);
  }

  /**
   * The response as a message: {@code statusCode}, {@code content-type} (the response's own, the
   * status page's HTML, else JSON) and the response's other headers.
   */
  static Message<String> reply(FunctionResponse response) {
    MessageBuilder<String> reply =
        MessageBuilder.withPayload(response.body())
            .setHeader("statusCode", response.status())
            .setHeader("content-type", "application/json");
    response
        .headers()
        .forEach(
            (name, value) ->
                reply.setHeader(
                    name.equalsIgnoreCase("content-type") ? "content-type" : name, value));
    return reply.build();
  }
}
