package dev.rollgate.spring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rollgate.core.api.FunctionRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

class MessagesTest {

  @Test
  void request_shouldSeeEveryHttpHeader_whenTheirNamesAreReservedBySpring() {
    // GIVEN HTTP headers named like Spring's own, carried in the one map header
    Map<String, String> http =
        Map.of(
            "id", "client-id",
            "timestamp", "client-time",
            "contentType", "text/plain",
            "X-Hub-Signature-256", "sha256=00");
    Message<byte[]> message =
        MessageBuilder.withPayload("[1,2,3]".getBytes(StandardCharsets.UTF_8))
            .setHeader(RollgateAssembly.HTTP_HEADERS_HEADER, http)
            .setHeader(RollgateAssembly.QUERY_HEADER, Map.of("endpoint", "github"))
            .build();

    // WHEN
    FunctionRequest request = Messages.request(message);

    // THEN the function sees the client's values, the raw body and the query
    assertEquals("client-id", request.header("id"));
    assertEquals("client-time", request.header("timestamp"));
    assertEquals("text/plain", request.header("contenttype"));
    assertEquals("sha256=00", request.header("x-hub-signature-256"));
    assertEquals("github", request.query().get("endpoint"));
    assertArrayEquals("[1,2,3]".getBytes(StandardCharsets.UTF_8), request.body());
  }

  @Test
  void request_shouldKeepStringHeaders_whenNoHttpHeaderMapIsSet() {
    // GIVEN a message as the Lambda entry point builds it
    Message<byte[]> message =
        MessageBuilder.withPayload(new byte[0]).setHeader("x-github-event", "ping").build();

    // WHEN
    FunctionRequest request = Messages.request(message);

    // THEN
    assertEquals("ping", request.header("X-GitHub-Event"));
  }
}
