package dev.rollgate.events;

import static dev.rollgate.events.Decoding.DIGEST;
import static dev.rollgate.events.Decoding.base64;
import static dev.rollgate.events.Decoding.decode;
import static dev.rollgate.events.Decoding.ecr;
import static dev.rollgate.events.Decoding.one;
import static dev.rollgate.events.Decoding.plain;
import static dev.rollgate.events.Decoding.quoted;
import static dev.rollgate.events.Decoding.rejection;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopesTest {

  private static final String ECR_PUSH =
      ecr(
          "{\"result\": \"SUCCESS\", \"repository-name\": \"shop\", \"image-digest\": \""
              + DIGEST
              + "\", \"action-type\": \"PUSH\", \"image-tag\": \"v1\"}");

  @Test
  void decode_shouldUnwrapTheBody_whenAnHttpApiEnvelopeCarriesItInBase64() throws Exception {
    // GIVEN an API Gateway HTTP API (payload 2.0) request whose body is base64
    String envelope =
        """
        {"version": "2.0", "routeKey": "$default", "rawPath": "/imagePushed",
         "headers": {"content-type": "application/json"}, "requestContext": {"http": {}},
         "body": "%s", "isBase64Encoded": true}"""
            .formatted(base64(plain("v1")));
    // WHEN decoded
    ImagePushed push = (ImagePushed) one(envelope);
    // THEN the request's body is the push
    assertEquals("plain", push.source());
    assertEquals(List.of("v1"), push.tags());
    assertEquals(DIGEST, push.digest());
  }

  @Test
  void decode_shouldUseTheRequestHeaders_whenARestApiEnvelopeCarriesAGitHubEvent()
      throws Exception {
    // GIVEN a REST API (payload 1.0) request carrying a GitHub push event, header names as sent
    String envelope =
        """
        {"resource": "/webhook", "httpMethod": "POST", "requestContext": {"stage": "prod"},
         "headers": {"X-GitHub-Event": "push", "X-GitHub-Delivery": "d-1"},
         "body": %s, "isBase64Encoded": false}"""
            .formatted(quoted("{\"ref\": \"refs/heads/main\"}"));
    // WHEN decoded
    Ignored ignored = (Ignored) one(envelope);
    // THEN the event and the delivery id come from the request's headers
    assertEquals("github", ignored.source());
    assertEquals("d-1", ignored.id());
    assertTrue(ignored.reason().contains("refs/heads/main"), ignored.reason());
  }

  @Test
  void unwrap_shouldGiveTheRawBodyAndHeaders_whenAFunctionUrlRequestCarriesThem() throws Exception {
    // GIVEN a Function URL request whose body ends with a newline (signatures cover it)
    String body = "{\"zen\": \"Keep it simple.\", \"hook_id\": 1}\n";
    String envelope =
        """
        {"version": "2.0", "rawPath": "/", "requestContext": {"http": {"method": "POST"}},
         "headers": {"x-hub-signature-256": "sha256=00"}, "body": %s, "isBase64Encoded": false}"""
            .formatted(quoted(body));
    // WHEN unwrapped
    Delivery delivery =
        new EventDecoder().unwrap(envelope.getBytes(StandardCharsets.UTF_8), Map.of());
    // THEN the body is byte for byte the sender's, and the header is found in any case
    assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), delivery.body());
    assertEquals("sha256=00", delivery.header("X-Hub-Signature-256"));
  }

  @Test
  void unwrap_shouldGiveTheInputItself_whenItIsNoEnvelope() throws Exception {
    // GIVEN a plain push with a header WHEN unwrapped THEN it is returned as it came
    byte[] body = plain("v1").getBytes(StandardCharsets.UTF_8);
    Delivery delivery = new EventDecoder().unwrap(body, Map.of("X-Test", "1"));
    assertArrayEquals(body, delivery.body());
    assertEquals("1", delivery.header("x-test"));
  }

  @Test
  void decode_shouldDecodeEveryRecord_whenAnSqsBatchCarriesEventBridgeEvents() throws Exception {
    // GIVEN two SQS records: an ECR push from a rule, and a plain push without an id
    String sqs =
        """
        {"Records": [
          {"messageId": "m-1", "body": %s, "attributes": {"SentTimestamp": "1723802400000"},
           "eventSource": "aws:sqs"},
          {"messageId": "m-2", "body": %s, "attributes": {"SentTimestamp": "1723802401000"},
           "eventSource": "aws:sqs"}]}"""
            .formatted(quoted(ECR_PUSH), quoted(plain("v2")));
    // WHEN decoded
    List<Trigger> triggers = decode(sqs);
    // THEN the EventBridge event keeps its own id; the id-less push takes the message's
    assertEquals(2, triggers.size());
    assertEquals("e-1", triggers.get(0).id());
    assertEquals(
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com", ((ImagePushed) triggers.get(0)).registry());
    assertEquals("m-2", triggers.get(1).id());
    assertEquals(Instant.ofEpochMilli(1723802401000L), triggers.get(1).occurredAt());
  }

  @Test
  void decode_shouldOpenTheMessage_whenAnSnsRecordCarriesAnEvent() throws Exception {
    // GIVEN a Lambda SNS record (capitalised field names) carrying an ECR push
    String sns =
        """
        {"Records": [{"EventSource": "aws:sns", "Sns": {"Type": "Notification",
          "MessageId": "sns-1", "TopicArn": "arn:aws:sns:eu-west-1:123456789012:t",
          "Message": %s, "Timestamp": "2024-08-16T10:00:01Z"}}]}"""
            .formatted(quoted(ECR_PUSH));
    // WHEN decoded THEN it is the push inside
    ImagePushed push = (ImagePushed) one(sns);
    assertEquals("e-1", push.id());
    assertEquals("shop", push.repository());
  }

  @Test
  void decode_shouldIgnoreIt_whenSnsAsksToConfirmASubscription() throws Exception {
    // GIVEN an SNS subscription confirmation posted to an HTTPS endpoint
    String confirmation =
        """
        {"Type": "SubscriptionConfirmation", "MessageId": "c-1", "Token": "2336412f37",
         "TopicArn": "arn:aws:sns:eu-west-1:123456789012:t", "Message": "You have chosen...",
         "SubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription",
         "Timestamp": "2024-08-16T10:00:00Z"}""";
    // WHEN decoded THEN it is acknowledged, not confirmed, and says how to confirm
    Ignored ignored = (Ignored) one(confirmation);
    assertEquals("aws.sns", ignored.source());
    assertTrue(ignored.reason().contains("SubscribeURL"), ignored.reason());
  }

  @Test
  void decode_shouldTakeIdAndTimeFromTheMessage_whenAPubSubPushCarriesANotification()
      throws Exception {
    // GIVEN a Pub/Sub push envelope with an Artifact Registry notification, snake_case ids only
    String notification =
        "{\"action\": \"INSERT\", \"digest\": \"europe-docker.pkg.dev/p/r/shop@" + DIGEST + "\"}";
    String push =
        """
        {"message": {"data": "%s", "message_id": "42", "publish_time": "2024-08-16T10:00:00Z"},
         "subscription": "projects/p/subscriptions/s"}"""
            .formatted(base64(notification));
    // WHEN decoded
    ImagePushed image = (ImagePushed) one(push);
    // THEN the image is known, by digest only, and the message gives id and time
    assertEquals("europe-docker.pkg.dev", image.registry());
    assertEquals("p/r/shop", image.repository());
    assertEquals(List.of(), image.tags());
    assertEquals(DIGEST, image.digest());
    assertEquals("42", image.id());
    assertEquals(Instant.parse("2024-08-16T10:00:00Z"), image.occurredAt());
  }

  @Test
  void decode_shouldDecodeTheData_whenAStructuredCloudEventCarriesItInBase64() throws Exception {
    // GIVEN a structured CloudEvent of an unknown type whose data_base64 is a plain push
    String event =
        """
        {"specversion": "1.0", "type": "dev.example.pushed", "source": "/ci", "id": "ce-1",
         "time": "2024-08-16T10:00:00Z", "data_base64": "%s"}"""
            .formatted(base64("{\"repository\": \"team/shop\", \"tag\": \"v3\"}"));
    // WHEN decoded THEN the data is decoded, with the event's id and time
    ImagePushed push = (ImagePushed) one(event);
    assertEquals(List.of("v3"), push.tags());
    assertEquals("ce-1", push.id());
  }

  @Test
  void decode_shouldReadTheHeaders_whenABinaryCloudEventCarriesRegistryData() throws Exception {
    // GIVEN a binary-mode CloudEvent: ce-* headers and the ACR event data as the body
    String data =
        """
        {"action": "push", "target": {"repository": "team/shop", "tag": "v4", "digest": "%s"},
         "request": {"host": "reg.azurecr.io"}}"""
            .formatted(DIGEST);
    Map<String, String> headers =
        Map.of(
            "CE-SpecVersion",
            "1.0",
            "ce-type",
            "Microsoft.ContainerRegistry.ImagePushed",
            "ce-id",
            "bin-1",
            "ce-source",
            "/subscriptions/x",
            "ce-time",
            "2024-08-16T10:00:00Z");
    // WHEN decoded
    ImagePushed push = (ImagePushed) one(data, headers);
    // THEN the headers say what it is and the body what was pushed
    assertEquals("bin-1", push.id());
    assertEquals("reg.azurecr.io", push.registry());
    assertEquals(List.of("v4"), push.tags());
  }

  @Test
  void decode_shouldAnswerTheHandshake_whenEventGridValidatesASubscription() throws Exception {
    // GIVEN the validation event, as the array Event Grid posts
    String validation =
        """
        [{"id": "v-1", "topic": "/subscriptions/x", "subject": "",
          "data": {"validationCode": "512d38b6", "validationUrl": "https://x"},
          "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent",
          "eventTime": "2018-01-25T22:12:19.4556811Z", "metadataVersion": "1",
          "dataVersion": "1"}]""";
    // WHEN decoded
    Handshake handshake =
        (Handshake) one(validation, Map.of("aeg-event-type", "SubscriptionValidation"));
    // THEN the answer echoes the code
    assertEquals(Map.of("validationResponse", "512d38b6"), handshake.response());
  }

  @Test
  void decode_shouldIgnoreIt_whenAnotherAwsRecordArrives() throws Exception {
    // GIVEN an S3 record WHEN decoded THEN it is acknowledged as not a trigger
    Trigger t = one("{\"Records\": [{\"eventSource\": \"aws:s3\", \"eventName\": \"Put\"}]}");
    assertInstanceOf(Ignored.class, t);
    assertEquals("aws:s3", t.source());
  }

  @Test
  void decode_shouldRefuse_whenEnvelopesNestDeeperThanTheLimit() {
    // GIVEN a plain push wrapped in nine SQS envelopes, one more than allowed
    String body = plain("v1");
    for (int i = 0; i < 9; i++) {
      body =
          "{\"Records\": [{\"eventSource\": \"aws:sqs\", \"messageId\": \"m\", \"body\": "
              + quoted(body)
              + "}]}";
    }
    // WHEN decoded THEN it is refused, saying where
    String message = rejection(body);
    assertTrue(message.contains("envelopes nested"), message);
    assertTrue(message.startsWith("$.Records[0].body"), message);
  }

  @Test
  void decode_shouldNameThePathThroughEnvelopes_whenTheInnerEventIsMalformed() {
    // GIVEN an SQS record whose ECR push has no repository
    String inner = ecr("{\"action-type\": \"PUSH\", \"image-tag\": \"v1\"}");
    String sqs =
        "{\"Records\": [{\"eventSource\": \"aws:sqs\", \"messageId\": \"m\", \"body\": "
            + quoted(inner)
            + "}]}";
    // WHEN decoded THEN the message names the field at its full path
    assertEquals(
        "$.Records[0].body.detail.repository-name: missing: the repository of the image",
        rejection(sqs));
  }
}
