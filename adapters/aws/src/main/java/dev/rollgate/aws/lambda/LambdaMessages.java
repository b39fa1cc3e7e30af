package dev.rollgate.aws.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.spring.RollgateAssembly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Unwraps what Spring Cloud Function's AWS invoker passes for a Function URL or API Gateway
 * request: the whole HTTP event as payload (its HTTP headers already copied to the message
 * headers). The function gets the body (base64-decoded when {@code isBase64Encoded}), the query
 * parameters, and {@code /webhook/<name>} as the webhook endpoint. Other events (EventBridge, SQS,
 * schedules) pass unchanged: their raw JSON is the payload.
 */
final class LambdaMessages {

  /** Header the invoker sets on HTTP requests (Function URL, API Gateway v1 and v2). */
  static final String API_GATEWAY = "aws-api-gateway";

  private static final ObjectMapper JSON = new ObjectMapper();

  private LambdaMessages() {}

  static Message<byte[]> normalize(Message<byte[]> message) {
    if (!Boolean.TRUE.equals(message.getHeaders().get(API_GATEWAY))) {
      return message;
    }
    JsonNode event;
    try {
      event = JSON.readTree(message.getPayload());
    } catch (IOException e) {
      return message;
    }
    if (event == null || !event.isObject()) {
      return message;
    }
    JsonNode bodyNode = event.path("body");
    byte[] body =
        bodyNode.isTextual()
            ? bodyNode.asText().getBytes(StandardCharsets.UTF_8)
            : bodyNode.isMissingNode() || bodyNode.isNull()
                ? new byte[0]
                : bodyNode.toString().getBytes(StandardCharsets.UTF_8);
    if (event.path("isBase64Encoded").asBoolean(false)) {
      // Function URLs base64 any body they do not consider text; signatures cover the raw bytes.
      body = Base64.getMimeDecoder().decode(body);
    }
    Map<String, String> query = new LinkedHashMap<>();
    event
        .path("queryStringParameters")
        .fields()
        .forEachRemaining(f -> query.put(f.getKey(), f.getValue().asText()));
    String path = event.hasNonNull("rawPath") ? event.get("rawPath").asText() : null;
    if (path == null && event.hasNonNull("path")) {
      path = event.get("path").asText(); // API Gateway v1
    }
    String endpoint = webhookEndpoint(path);
    if (endpoint != null) {
      query.putIfAbsent("endpoint", endpoint);
    }
    MessageBuilder<byte[]> out =
        MessageBuilder.withPayload(body)
            .copyHeaders(message.getHeaders())
            .setHeader(RollgateAssembly.QUERY_HEADER, query);
    // API Gateway v1 and some clients leave the headers in the event only.
    event
        .path("headers")
        .fields()
        .forEachRemaining(
            f -> {
              String name = f.getKey().toLowerCase(Locale.ROOT);
              if (!message.getHeaders().containsKey(name) && f.getValue().isTextual()) {
                out.setHeader(name, f.getValue().asText());
              }
            });
    return out.build();
  }

  /** {@code /webhook/<name>} (after any stage prefix) names the webhook endpoint. */
  static String webhookEndpoint(String path) {
    return RollgateAssembly.webhookEndpoint(path);
  }
}
