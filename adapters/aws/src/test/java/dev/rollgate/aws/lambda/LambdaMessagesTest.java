package dev.rollgate.aws.lambda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.rollgate.spring.RollgateAssembly;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

class LambdaMessagesTest {

  @Test
  void normalize_shouldDecodeBodyAndTakeEndpointFromPath_whenFunctionUrlSentBase64() {
    // GIVEN a Function URL event whose body came base64-encoded, for /webhook/ghcr?x=1
    String raw = "{\"action\":\"published\"}";
    String event =
        "{\"version\":\"2.0\",\"routeKey\":\"$default\",\"rawPath\":\"/webhook/ghcr\","
            + "\"queryStringParameters\":{\"x\":\"1\"},\"isBase64Encoded\":true,\"body\":\""
            + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8))
            + "\"}";
    Message<byte[]> in =
        MessageBuilder.withPayload(event.getBytes(StandardCharsets.UTF_8))
            .setHeader(LambdaMessages.API_GATEWAY, true)
            .setHeader("x-hub-signature-256", "sha256=abc")
            .build();

    // WHEN normalized
    Message<byte[]> out = LambdaMessages.normalize(in);

    // THEN the function sees the raw bytes, the query with the endpoint, and the headers
    assertArrayEquals(raw.getBytes(StandardCharsets.UTF_8), out.getPayload());
    assertEquals(
        Map.of("x", "1", "endpoint", "ghcr"), out.getHeaders().get(RollgateAssembly.QUERY_HEADER));
    assertEquals("sha256=abc", out.getHeaders().get("x-hub-signature-256"));
  }

  @Test
  void normalize_shouldPassTheRawEvent_whenNotAnHttpRequest() {
    // GIVEN an EventBridge event (the invoker sets no API Gateway header)
    Message<byte[]> in =
        MessageBuilder.withPayload("{\"source\":\"aws.ecr\"}".getBytes(StandardCharsets.UTF_8))
            .build();

    // WHEN normalized, THEN it is untouched
    assertSame(in, LambdaMessages.normalize(in));
  }

  @Test
  void webhookEndpoint_shouldReadTheNameAfterWebhook_whenAStagePrefixes() {
    assertEquals("harbor", LambdaMessages.webhookEndpoint("/prod/webhook/harbor"));
    assertEquals("quay", LambdaMessages.webhookEndpoint("/webhook/quay/extra"));
    assertNull(LambdaMessages.webhookEndpoint("/status"));
    assertNull(LambdaMessages.webhookEndpoint("/webhook/"));
  }
}
