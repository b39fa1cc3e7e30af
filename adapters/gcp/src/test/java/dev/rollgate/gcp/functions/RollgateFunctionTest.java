package dev.rollgate.gcp.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.invoker.runner.Invoker;
import dev.rollgate.assembly.LazyRollgate;
import dev.rollgate.assembly.Settings;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollgateFunctionTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void constructor_shouldRefuseClearly_whenTheFunctionNameIsUnknown() {
    // GIVEN SPRING_CLOUD_FUNCTION_DEFINITION naming no rollgate function
    Settings settings = Settings.of(Map.of("SPRING_CLOUD_FUNCTION_DEFINITION", "imagePush")::get);

    // WHEN the entry is constructed, as the Functions Framework does at start
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new RollgateFunction(settings));

    // THEN the message names the variable, the wrong value and the names it takes
    assertTrue(e.getMessage().contains("SPRING_CLOUD_FUNCTION_DEFINITION"), e.getMessage());
    assertTrue(e.getMessage().contains("'imagePush'"), e.getMessage());
    assertTrue(e.getMessage().contains("imagePushed"), e.getMessage());
  }

  @Test
  void startTestServer_shouldFailAtStart_whenNoFunctionIsNamed() {
    // GIVEN no SPRING_CLOUD_FUNCTION_DEFINITION in this process
    Invoker invoker =
        new Invoker(
            0, RollgateFunction.ENTRY_POINT, "http", RollgateFunction.class.getClassLoader());

    // WHEN the Functions Framework starts the function, THEN it does not start, naming why
    Exception e = assertThrows(Exception.class, invoker::startTestServer);
    assertTrue(causes(e).contains("SPRING_CLOUD_FUNCTION_DEFINITION must name one of"), causes(e));
  }

  @Test
  void accept_shouldThrowForRedelivery_whenRollgateCannotBeAssembled() {
    // GIVEN imagePushed whose assembly fails (the ledger unreachable, say)
    LazyRollgate failing =
        new LazyRollgate(
            () -> {
              throw new IllegalStateException("ledger unreachable");
            });
    RollgateFunction function =
        new RollgateFunction(
            Settings.of(Map.of("SPRING_CLOUD_FUNCTION_DEFINITION", "imagePushed")::get), failing);

    // WHEN an event arrives, THEN the failure propagates: Eventarc answers 500 and redelivers
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> function.accept(event()));
    assertEquals("ledger unreachable", e.getMessage());
    assertFalse(function.isAssembled());
  }

  @Test
  void retryable_shouldBeTrue_onlyForFailuresThatMayPass() {
    // GIVEN rollgate's answers, WHEN judged for a CloudEvent, THEN only 500, 502-504 retry
    assertTrue(RollgateFunction.retryable(500));
    assertTrue(RollgateFunction.retryable(503));
    assertFalse(RollgateFunction.retryable(501)); // not configured: a retry cannot help
    assertFalse(RollgateFunction.retryable(400)); // refused
    assertFalse(RollgateFunction.retryable(200)); // a duplicate, or done
    assertFalse(RollgateFunction.retryable(202));
  }

  @Test
  void structured_shouldWriteTheCloudEventsJsonFormat_whenTheDataIsJson() throws Exception {
    // GIVEN an Eventarc messagePublished event with JSON data
    CloudEvent event = event();

    // WHEN written back as structured JSON
    JsonNode json = JSON.readTree(GcpMessages.structured(event));

    // THEN the context attributes and the data object are members, as the spec's JSON format says
    assertEquals("1.0", json.path("specversion").asText());
    assertEquals("google.cloud.pubsub.topic.v1.messagePublished", json.path("type").asText());
    assertEquals("evt-1", json.path("id").asText());
    assertEquals("2026-12-04T01:00:00Z", json.path("time").asText());
    assertEquals("ZGF0YQ==", json.path("data").path("message").path("data").asText());
  }

  @Test
  void structured_shouldCarryDataAsBase64_whenItIsNotJson() throws Exception {
    // GIVEN an event with binary data
    CloudEvent event =
        CloudEventBuilder.v1()
            .withId("evt-2")
            .withSource(URI.create("//example"))
            .withType("example.binary")
            .withDataContentType("application/octet-stream")
            .withData(new byte[] {1, 2, 3})
            .build();

    // WHEN written back, THEN the data is data_base64
    JsonNode json = JSON.readTree(GcpMessages.structured(event));
    assertEquals("AQID", json.path("data_base64").asText());
    assertTrue(json.path("data").isMissingNode());
  }

  private static CloudEvent event() {
    return CloudEventBuilder.v1()
        .withId("evt-1")
        .withSource(URI.create("//pubsub.googleapis.com/projects/p/topics/gcr"))
        .withType("google.cloud.pubsub.topic.v1.messagePublished")
        .withTime(OffsetDateTime.parse("2026-12-04T01:00:00Z"))
        .withDataContentType("application/json")
        .withData(
            "{\"message\":{\"data\":\"ZGF0YQ==\",\"messageId\":\"1\"}}"
                .getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static String causes(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append(" / ");
    }
    return b.toString();
  }
}
