package dev.rollgate.gcp.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import dev.rollgate.testing.HeadlessChromium;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sample Google Cloud deliveries (events/fixtures) through {@link RollgateFunction} under the
 * Functions Framework's own invoker ({@link EntryFixture}): Eventarc's {@code messagePublished}
 * CloudEvents carrying Artifact Registry notifications (structured and binary), Pub/Sub push
 * envelopes, Cloud Scheduler's HTTP calls, and the HTTP functions. What {@code LambdaEntryContract}
 * checks for Lambda, checked here for Cloud Functions.
 */
class RollgateFunctionIT extends EntryFixture {

  @Test
  void accept_shouldDeployOnceAndAcknowledgeRefusals_whenEventarcDeliversArtifactRegistryPushes()
      throws Exception {
    // GIVEN Eventarc's messagePublished sample carrying Artifact Registry's insert-tag sample
    // verbatim, whose digest is cut short ("sha256:6ec128e26cd5...")
    byte[] verbatim = messagePublished(notification(null), "ar-verbatim");

    // WHEN the imagePushed CloudEvent function receives it (structured mode)
    HttpResponse<String> refused = cloudEvent(verbatim);

    // THEN it is acknowledged (2xx: Eventarc does not redeliver a refusal) and deploys nothing
    assertEquals(200, refused.statusCode(), refused.body());
    assertTrue(deployed("sha256:6ec128e26cd5").isEmpty());

    // GIVEN the same notification with a full digest
    String digest = "sha256:" + "6ec128e26cd5a1b2".repeat(4);
    byte[] push = messagePublished(notification(digest), "ar-push-1");

    // WHEN it is delivered
    HttpResponse<String> accepted = cloudEvent(push);

    // THEN staging SUCCEEDED with the pushed digest
    assertEquals(200, accepted.statusCode(), accepted.body());
    List<Deployment> staging = deployed(digest);
    assertEquals(1, staging.size(), staging.toString());
    assertEquals(Phase.SUCCEEDED, staging.get(0).phase(), staging.toString());

    // WHEN Eventarc delivers the same event again, in binary mode as it does in production
    JsonNode event = JSON.readTree(push);
    HttpResponse<String> again =
        functions.send(
            "imagePushed",
            "cloudevent",
            "POST",
            "/",
            JSON.writeValueAsBytes(event.path("data")),
            "Content-Type",
            "application/json",
            "ce-specversion",
            "1.0",
            "ce-id",
            event.path("id").asText(),
            "ce-source",
            event.path("source").asText(),
            "ce-type",
            event.path("type").asText(),
            "ce-time",
            event.path("time").asText());

    // THEN it is acknowledged as a duplicate: still one deployment
    assertEquals(200, again.statusCode(), again.body());
    assertEquals(1, deployed(digest).size());
  }

  @Test
  void service_shouldDeployAndAnswer_whenAPubSubPushSubscriptionPostsAnEnvelope() throws Exception {
    // GIVEN the Pub/Sub push sample whose message carries an Artifact Registry notification
    String digest = "sha256:" + "0a1b2c3d4e5f6789".repeat(4);
    ObjectNode envelope = (ObjectNode) JSON.readTree(fixture("gcp-pubsub-push-envelope.json"));
    ObjectNode message = (ObjectNode) envelope.path("message");
    message.put("data", Base64.getEncoder().encodeToString(notification(digest)));
    message.put("messageId", "push-" + System.nanoTime());
    message.put("publishTime", java.time.Instant.now().toString());
    message.remove("message_id");
    message.remove("publish_time");

    // WHEN the imagePushed HTTP function receives it
    HttpResponse<String> pushed =
        functions.send(
            "imagePushed",
            "http",
            "POST",
            "/",
            JSON.writeValueAsBytes(envelope),
            "Content-Type",
            "application/json");

    // THEN 202: a deployment was made and the answer is the HTTP status Pub/Sub acknowledges
    assertEquals(202, pushed.statusCode(), pushed.body());
    assertTrue(pushed.body().contains(digest), pushed.body());

    // WHEN the verbatim sample (its data is a greeting, not an event) is pushed
    HttpResponse<String> greeting =
        functions.send(
            "imagePushed",
            "http",
            "POST",
            "/",
            fixture("gcp-pubsub-push-envelope.json"),
            "Content-Type",
            "application/json");

    // THEN 400 naming where the push went wrong: Pub/Sub would redeliver it, so set a dead-letter
    assertEquals(400, greeting.statusCode(), greeting.body());
    assertTrue(greeting.body().contains("message.data"), greeting.body());
  }

  @Test
  void service_shouldServeTheHttpFunctions_whenCalledAsCloudFunctionsAndCloudSchedulerDo()
      throws Exception {
    // GIVEN something deployed to staging
    String digest = "sha256:" + "fedcba9876543210".repeat(4);
    assertEquals(200, cloudEvent(messagePublished(notification(digest), "ar-http")).statusCode());
    assertEquals(Phase.SUCCEEDED, deployed(digest).get(0).phase(), deployed(digest).toString());

    // WHEN Cloud Scheduler's HTTP target calls reconcile with its job's body and headers
    HttpResponse<String> reconciled =
        functions.send(
            "reconcile",
            "http",
            "POST",
            "/",
            fixture("gcp-scheduler-jobdata.json"),
            "Content-Type",
            "application/json",
            "X-CloudScheduler-JobName",
            "rollgate-reconcile",
            "X-CloudScheduler-ScheduleTime",
            "2026-12-04T01:00:00Z");

    // THEN it answers the (empty) work it did
    assertEquals(200, reconciled.statusCode(), reconciled.body());
    assertTrue(JSON.readTree(reconciled.body()).path("deployments").isArray());

    // WHEN status is asked, THEN 200 with staging serving the digest
    HttpResponse<String> status = functions.send("status", "http", "GET", "/", null);
    assertEquals(200, status.statusCode(), status.body());
    assertEquals("application/json", status.headers().firstValue("content-type").orElse(""));
    assertTrue(status.body().contains(digest), status.body());

    // WHEN a browser asks for status with the read token, THEN the page says what serves where
    String browser = "text/html,application/xhtml+xml,*/*;q=0.8";
    HttpResponse<String> page =
        functions.send(
            "status",
            "http",
            "GET",
            "/",
            null,
            "Accept",
            browser,
            "Authorization",
            "Bearer " + READ_TOKEN);
    assertEquals(200, page.statusCode(), page.body());
    assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElse(""));
    assertEquals("no-store", page.headers().firstValue("cache-control").orElse(""));
    assertTrue(page.body().contains("<section class=\"env\" data-env=\"shop/staging\">"));
    assertTrue(page.body().contains("title=\"" + digest + "\""), page.body());

    // WHEN it is asked without the token or with a wrong one (the promotion token), THEN 401
    for (String[] credential :
        List.of(new String[0], new String[] {"Authorization", "Bearer s3cret"})) {
      String[] headers = new String[credential.length + 2];
      headers[0] = "Accept";
      headers[1] = browser;
      System.arraycopy(credential, 0, headers, 2, credential.length);
      HttpResponse<String> refused = functions.send("status", "http", "GET", "/", null, headers);
      assertEquals(401, refused.statusCode(), refused.body());
      assertEquals("application/json", refused.headers().firstValue("content-type").orElse(""));
      assertTrue(refused.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
      assertTrue(!refused.body().contains(digest), refused.body());
    }

    // WHEN promote is called without a token, THEN 401 comes back as the HTTP status
    String promotion =
        "{\"app\":\"shop\",\"from\":\"staging\",\"to\":\"production\",\"digest\":\""
            + digest
            + "\"}";
    HttpResponse<String> unauthenticated =
        functions.send("promote", "http", "POST", "/", promotion.getBytes(StandardCharsets.UTF_8));
    assertEquals(401, unauthenticated.statusCode(), unauthenticated.body());

    // WHEN promote is called with the token, THEN 202 and production SUCCEEDED
    HttpResponse<String> promoted =
        functions.send(
            "promote",
            "http",
            "POST",
            "/",
            promotion.getBytes(StandardCharsets.UTF_8),
            "Authorization",
            "Bearer s3cret");
    assertEquals(202, promoted.statusCode(), promoted.body());
    Deployment production = ledger.deployments("shop", "production", 1).get(0);
    assertEquals(Phase.SUCCEEDED, production.phase(), production.toString());

    // WHEN the finished production deployment is aborted with the token, THEN 409 naming its phase
    HttpResponse<String> aborted =
        functions.send(
            "abort",
            "http",
            "POST",
            "/",
            ("{\"deployment\":\"" + production.id() + "\",\"by\":\"alice\"}")
                .getBytes(StandardCharsets.UTF_8),
            "Authorization",
            "Bearer s3cret");
    assertEquals(409, aborted.statusCode(), aborted.body());
    assertTrue(aborted.body().contains("is SUCCEEDED"), aborted.body());

    // WHEN a push of another digest is planned without a token, THEN 401
    String next = "sha256:" + "0a1b2c3d4e5f6a7b".repeat(4);
    byte[] nextPush = messagePublished(notification(next), "ar-plan");
    HttpResponse<String> unplanned =
        functions.send("plan", "http", "POST", "/", nextPush, "Content-Type", "application/json");
    assertEquals(401, unplanned.statusCode(), unplanned.body());

    // WHEN it is planned with the token, THEN 200: staging would deploy it, the image from the
    // serving digest to the pushed one (shown short); nothing was recorded
    HttpResponse<String> planned =
        functions.send(
            "plan",
            "http",
            "POST",
            "/",
            nextPush,
            "Content-Type",
            "application/json",
            "Authorization",
            "Bearer s3cret");
    assertEquals(200, planned.statusCode(), planned.body());
    JsonNode plan = JSON.readTree(planned.body());
    assertTrue(plan.path("wouldDeploy").asBoolean(), plan.toString());
    JsonNode target = plan.path("environments").get(0);
    assertEquals("staging", target.path("environment").asText(), plan.toString());
    assertEquals("deploy", target.path("decision").asText(), plan.toString());
    JsonNode image = null;
    for (JsonNode c : target.path("changes")) {
      image = c.path("field").asText().endsWith("image") ? c : image;
    }
    assertTrue(
        image != null && image.path("from").asText().contains("@" + digest.substring(0, 19)),
        plan.toString());
    assertTrue(image.path("to").asText().contains("@" + next.substring(0, 19)), plan.toString());
    assertTrue(deployed(next).isEmpty(), deployed(next).toString());

    // WHEN a webhook names an endpoint the manifest lacks, THEN 404 naming it
    HttpResponse<String> webhook =
        functions.send(
            "webhook", "http", "POST", "/webhook/nope", "{}".getBytes(StandardCharsets.UTF_8));
    assertEquals(404, webhook.statusCode(), webhook.body());
    assertTrue(webhook.body().contains("nope"), webhook.body());
  }

  @Test
  void service_shouldAnswer_whenAClientSendsHeadersSpringReserves() throws Exception {
    // GIVEN a request whose headers take names Spring's messages reserve
    // WHEN status handles it
    HttpResponse<String> status =
        functions.send(
            "status",
            "http",
            "GET",
            "/",
            null,
            "id",
            "client-id",
            "timestamp",
            "1",
            "contentType",
            "text/evil",
            "scf-func-name",
            "promote");

    // THEN the function ran as asked and answered
    assertEquals(200, status.statusCode(), status.body());
    assertTrue(status.body().contains("environments"), status.body());
  }

  @Test
  void service_shouldShowTheStatusPageInABrowser_whenOpenedOnASignedLink() throws Exception {
    // GIVEN staging serving a digest
    String digest = "sha256:" + "5a9e0c1d2b3f4a6e".repeat(4);
    assertEquals(200, cloudEvent(messagePublished(notification(digest), "ar-page")).statusCode());
    assertEquals(Phase.SUCCEEDED, deployed(digest).get(0).phase(), deployed(digest).toString());

    // WHEN a link is minted with the read token (Authorization may be Cloud Run's ID token)
    HttpResponse<String> minted =
        functions.send("status", "http", "GET", "/?link=5m", null, "X-Rollgate-Token", READ_TOKEN);
    assertEquals(200, minted.statusCode(), minted.body());
    String link =
        functions.url("status", "http")
            + "/?"
            + JSON.readTree(minted.body()).path("query").asText();
    assertTrue(!link.contains(READ_TOKEN), link);

    // AND headless Chromium opens it, as a person would
    HeadlessChromium chromium = HeadlessChromium.find();
    String dom = chromium.dumpDom(link);

    // THEN the rendered page says what serves where: shop/staging on the digest's short form
    int staging = dom.indexOf("data-env=\"shop/staging\"");
    assertTrue(staging >= 0, dom);
    String section = dom.substring(staging, dom.indexOf("</section>", staging));
    assertTrue(section.contains("<code class=\"digest\" title=\"" + digest + "\">"), section);
    assertTrue(section.contains("sha256:5a9e0c1d2b3f<"), section);
    assertTrue(dom.contains("id=\"ledger\">ledger: intact"), dom);
    chromium.screenshot(link, 1280, 800, Path.of("target/status-page/gcp-signed-link-desktop.png"));

    // AND without the link's signature the same URL is refused
    String unsigned = functions.url("status", "http") + "/";
    assertTrue(chromium.dumpDom(unsigned).contains("no read token"), unsigned);
  }
}
