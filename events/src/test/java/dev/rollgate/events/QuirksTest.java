package dev.rollgate.events;

import static dev.rollgate.events.Decoding.DIGEST;
import static dev.rollgate.events.Decoding.NOW;
import static dev.rollgate.events.Decoding.ecr;
import static dev.rollgate.events.Decoding.one;
import static dev.rollgate.events.Decoding.quoted;
import static dev.rollgate.events.Decoding.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real payloads' quirks: read leniently when the meaning is plain, refused with a path if not. */
class QuirksTest {

  private static final String ACR_DATA =
      "{\"action\": \"push\", \"target\": {\"repository\": \"shop\", \"tag\": \"v1\"},"
          + " \"request\": {\"host\": \"reg.azurecr.io\"}}";

  @Test
  void decode_shouldReadFieldsInAnotherCasing_whenAnSdkSerialisedThemPascalCase() throws Exception {
    // GIVEN an Event Grid event as a .NET SDK writes it: EventType, Data, EventTime, Id
    String event =
        """
        {"Id": "pc-1", "EventType": "Microsoft.ContainerRegistry.ImagePushed",
         "Subject": "shop:v1", "EventTime": "2024-08-16T10:00:00Z", "DataVersion": "1.0",
         "Data": %s}"""
            .formatted(ACR_DATA);
    // WHEN decoded THEN it is the push
    ImagePushed push = (ImagePushed) one(event);
    assertEquals("pc-1", push.id());
    assertEquals(Instant.parse("2024-08-16T10:00:00Z"), push.occurredAt());
  }

  @Test
  void decode_shouldReadCamelCaseDetailType_whenTheJavaLambdaLibraryWroteIt() throws Exception {
    // GIVEN a scheduled event with detailType, as aws-lambda-java-events serialises it
    String event =
        """
        {"id": "s-1", "detailType": "Scheduled Event", "source": "aws.events",
         "time": "2024-08-16T10:00:00Z", "resources": ["arn:aws:events:r:1:rule/nightly"]}""";
    // WHEN decoded THEN it is the schedule of that rule
    Schedule schedule = (Schedule) one(event);
    assertEquals("arn:aws:events:r:1:rule/nightly", schedule.name());
  }

  @Test
  void decode_shouldRefuseNamingBothFields_whenTwoSpellingsDisagree() {
    // GIVEN a Pub/Sub message whose messageId and message_id differ
    String push =
        "{\"message\": {\"messageId\": \"1\", \"message_id\": \"2\", \"data\": \"e30=\"}}";
    // WHEN decoded THEN it is ambiguous, and both paths are named
    assertEquals(
        "$.message.messageId and $.message.message_id: both present with different values:"
            + " ambiguous, send only one",
        rejection(push));
  }

  @Test
  void decode_shouldReadTheShortName_whenAnEventTypeLacksItsNamespace() throws Exception {
    // GIVEN an Event Grid event typed just "ImagePushed"
    String event =
        "{\"id\": \"n-1\", \"eventType\": \"ImagePushed\", \"eventTime\": \"2024-08-16T10:00:00Z\","
            + " \"data\": "
            + ACR_DATA
            + "}";
    // WHEN decoded THEN it is read as the registry's push
    assertEquals("azure.containerregistry", one(event).source());
  }

  @Test
  void decode_shouldIgnoreIt_whenANamespacedTypeOfAnotherServiceHasTheSameName() throws Exception {
    // GIVEN a type of another namespace ending in ImagePushed WHEN decoded THEN it is not a push
    String event =
        "{\"id\": \"n-2\", \"eventType\": \"Contoso.Images.ImagePushed\","
            + " \"eventTime\": \"2024-08-16T10:00:00Z\", \"data\": "
            + ACR_DATA
            + "}";
    assertEquals("ignored", one(event).kind());
  }

  @Test
  void decode_shouldParseIt_whenJsonIsCarriedAsAString() throws Exception {
    // GIVEN an EventBridge event whose detail is a JSON string (an input transformer's doing)
    String detail =
        "{\"action-type\": \"PUSH\", \"repository-name\": \"shop\", \"image-tag\": \"v1\"}";
    // WHEN decoded THEN the detail is read as the object it holds
    ImagePushed push = (ImagePushed) one(ecr(quoted(detail)));
    assertEquals("shop", push.repository());
  }

  @Test
  void decode_shouldParseIt_whenTheWholeBodyIsJsonEncodedTwice() throws Exception {
    // GIVEN a body that is a JSON string holding the event WHEN decoded THEN it is the event
    String push = quoted("{\"repository\": \"team/shop\", \"tag\": \"v1\"}");
    assertEquals("team/shop", ((ImagePushed) one(push)).repository());
  }

  @Test
  void decode_shouldReadNumbersAsText_whenATagOrIdIsSentAsANumber() throws Exception {
    // GIVEN an ECR push whose tag is the number 1572471135, and a tag 1.10 as a number
    ImagePushed integral =
        (ImagePushed)
            one(
                ecr(
                    "{\"action-type\": \"PUSH\", \"repository-name\": \"shop\","
                        + " \"image-tag\": 1572471135}"));
    ImagePushed decimal =
        (ImagePushed)
            one(
                "{\"push_data\": {\"tag\": 1.10, \"pushed_at\": 1417566161},"
                    + " \"repository\": {\"repo_name\": \"me/shop\"}}");
    // WHEN decoded THEN the numbers are read as written
    assertEquals(List.of("1572471135"), integral.tags());
    assertEquals(List.of("1.10"), decimal.tags());
  }

  @Test
  void decode_shouldRefuse_whenANumberForATextFieldHasAnExponent() {
    // GIVEN a tag written 1e3 WHEN decoded THEN it is refused: 1000 or "1e3" is a guess
    String message =
        rejection("{\"push_data\": {\"tag\": 1e3}, \"repository\": {\"repo_name\": \"me/shop\"}}");
    assertTrue(message.startsWith("$.push_data.tag: expected a string"), message);
  }

  @Test
  void decode_shouldTakeItAsTheDigest_whenATagIsReallyADigest() throws Exception {
    // GIVEN a Harbor push whose resource's tag is the digest (a push by digest)
    String harbor =
        """
        {"type": "PUSH_ARTIFACT", "occur_at": 1723802400, "event_data": {
          "resources": [{"tag": "%s", "resource_url": "harbor.example.com/lib/shop@%s"}],
          "repository": {"repo_full_name": "lib/shop"}}}"""
            .formatted(DIGEST, DIGEST);
    // WHEN decoded THEN it is a push of that digest, with no tag
    ImagePushed push = (ImagePushed) one(harbor);
    assertEquals(List.of(), push.tags());
    assertEquals(DIGEST, push.digest());
  }

  @Test
  void decode_shouldKeepTheCommitTime_whenThePlainFormatGivesOne() throws Exception {
    // GIVEN rollgate's own push format with the commit's time, as CI reads it from git
    String plain =
        "{\"repository\": \"team/shop\", \"tag\": \"v7\", \"digest\": \""
            + DIGEST
            + "\", \"commitTime\": \"2026-11-22T09:00:00+01:00\"}";
    // WHEN decoded THEN the push carries it, in UTC
    ImagePushed push = (ImagePushed) one(plain);
    assertEquals(Instant.parse("2026-11-22T08:00:00Z"), push.committedAt());
    // AND a push without one says nothing
    assertNull(
        ((ImagePushed) one("{\"repository\": \"team/shop\", \"digest\": \"" + DIGEST + "\"}"))
            .committedAt());
  }

  @Test
  void decode_shouldDropIt_whenATagNameIsEmpty() throws Exception {
    // GIVEN an ECR push with an empty tag and a digest WHEN decoded THEN it has no tags
    ImagePushed push =
        (ImagePushed)
            one(
                ecr(
                    "{\"action-type\": \"PUSH\", \"repository-name\": \"shop\", \"image-tag\": \"\","
                        + " \"image-digest\": \""
                        + DIGEST
                        + "\"}"));
    assertEquals(List.of(), push.tags());
    assertEquals(DIGEST, push.digest());
  }

  @Test
  void decode_shouldTreatThemAsAbsent_whenValuesArePlaceholders() throws Exception {
    // GIVEN an EventBridge Scheduler input whose context attributes were never filled in
    String event =
        """
        {"id": "<aws.scheduler.execution-id>", "detail-type": "Scheduled Event",
         "source": "aws.scheduler", "time": "<aws.scheduler.scheduled-time>",
         "resources": ["<aws.scheduler.schedule-arn>"], "detail": {}}""";
    // WHEN decoded
    Schedule schedule = (Schedule) one(event);
    // THEN the id is a digest of the body and the time is when it arrived
    assertTrue(schedule.id().startsWith("sha256:"), schedule.id());
    assertEquals(NOW, schedule.occurredAt());
    assertNull(schedule.name());
  }

  @Test
  void decode_shouldLeaveTheDigestUnknown_whenItWasCutShortInDocumentation() throws Exception {
    // GIVEN an Artifact Registry notification with a digest ending in "..." and a tag
    String notification =
        "{\"action\": \"INSERT\", \"digest\": \"gcr.io/p/shop@sha256:6ec128e26cd5...\","
            + " \"tag\": \"gcr.io/p/shop:1.1\"}";
    // WHEN decoded THEN the tag names the image and the digest is unknown
    ImagePushed push = (ImagePushed) one(notification);
    assertEquals(List.of("1.1"), push.tags());
    assertNull(push.digest());
  }

  @Test
  void decode_shouldUseTheNextTime_whenATimeIsGosZeroTime() throws Exception {
    // GIVEN an Event Grid event at 0001-01-01 WHEN decoded THEN it happened when it arrived
    String event =
        "{\"id\": \"z-1\", \"eventType\": \"ImagePushed\", \"eventTime\": \"0001-01-01T00:00:00Z\","
            + " \"data\": "
            + ACR_DATA
            + "}";
    assertEquals(NOW, one(event).occurredAt());
  }

  @Test
  void decode_shouldRefuseNamingTheField_whenItHasTheWrongType() {
    // GIVEN an ECR push whose tag is an object WHEN decoded THEN the field and its path are named
    assertEquals(
        "$.detail.image-tag: expected a string, got an object",
        rejection(
            ecr(
                "{\"action-type\": \"PUSH\", \"repository-name\": \"shop\","
                    + " \"image-tag\": {\"v\": 1}}")));
  }

  @Test
  void decode_shouldRefuse_whenAPushNamesNoImage() {
    // GIVEN a Docker Hub push without a tag WHEN decoded THEN it is refused: it names no image
    String message = rejection("{\"push_data\": {}, \"repository\": {\"repo_name\": \"me/shop\"}}");
    assertTrue(message.contains("names neither a tag nor a sha256 digest"), message);
  }

  @Test
  void decode_shouldRefuse_whenTheRepositoryIsNotARepositoryName() {
    // GIVEN a push of "team/shop!" WHEN decoded THEN it is refused, quoting the name
    String message = rejection("{\"repository\": \"team/shop!\", \"tag\": \"v1\"}");
    assertTrue(message.startsWith("$.repository: not a repository name: 'team/shop!'"), message);
  }

  @Test
  void decode_shouldLowerTheCase_whenGitHubSendsAnOwnerWithCapitals() throws Exception {
    // GIVEN a registry_package event whose URL has the owner in capitals
    String event =
        """
        {"action": "published", "registry_package": {"name": "Shop", "package_type": "CONTAINER",
          "package_version": {"package_url": "ghcr.io/Octo-Org/Shop:v1"}}}""";
    // WHEN decoded THEN the repository is in lower case, as GHCR serves it
    assertEquals("octo-org/shop", ((ImagePushed) one(event)).repository());
  }

  @Test
  void decode_shouldIgnoreIt_whenAGitHubPackageIsNoContainer() throws Exception {
    // GIVEN an npm package published WHEN decoded THEN it is acknowledged, not deployed
    String event =
        """
        {"action": "published", "package": {"name": "lib", "package_type": "npm",
          "ecosystem": "npm", "package_version": {"version": "1.0.0"}}}""";
    Ignored ignored = (Ignored) one(event, Map.of("X-GitHub-Event", "package"));
    assertTrue(ignored.reason().contains("not a container image"), ignored.reason());
  }

  @Test
  void decode_shouldIgnoreIt_whenAnEcrPushFailed() throws Exception {
    // GIVEN an ECR push with result FAILURE WHEN decoded THEN nothing is deployed
    assertEquals(
        "ignored",
        one(ecr(
                "{\"action-type\": \"PUSH\", \"result\": \"FAILURE\","
                    + " \"repository-name\": \"shop\"}"))
            .kind());
  }

  @Test
  void decode_shouldRefuse_whenDigestAndTagNameDifferentImages() {
    // GIVEN an Artifact Registry notification whose digest and tag are of two images
    String notification =
        "{\"action\": \"INSERT\", \"digest\": \"gcr.io/p/a@"
            + DIGEST
            + "\","
            + " \"tag\": \"gcr.io/p/b:1\"}";
    // WHEN decoded THEN it is ambiguous
    assertTrue(rejection(notification).endsWith("): ambiguous"));
  }
}
