package dev.rollgate.azure.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpMethod;
import dev.rollgate.azure.functions.worker.HostContext;
import dev.rollgate.azure.functions.worker.HostHttpRequest;
import dev.rollgate.core.model.Deployment;
import dev.rollgate.core.model.Phase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sample Azure deliveries (events/fixtures) through {@link RollgateAzureFunctions} as the
 * Functions host calls its methods ({@link AzureEntryFixture}): ACR pushes from an Event Grid
 * trigger in both schemas, over HTTP with Event Grid's validation handshake, the timers, and the
 * HTTP functions.
 */
class RollgateAzureFunctionsIT extends AzureEntryFixture {

  private static final String EVENT_GRID = "azure-eventgrid-acr-image-pushed.json";
  private static final String CLOUD_EVENTS = "azure-cloudevents-acr-image-pushed.json";

  @Test
  void imagePushed_shouldDeployOnceAndAcknowledgeTheDuplicate_whenEventGridDeliversAPushTwice()
      throws Exception {
    // GIVEN ACR's ImagePushed sample in the Event Grid schema, as the trigger binding passes it
    String digest = "sha256:" + "57a94fc99816c6aa".repeat(4);
    String event = JSON.writeValueAsString(push(EVENT_GRID, "eg", digest));
    HostContext context = new HostContext("imagePushed");

    // WHEN the Event Grid trigger delivers it
    functions.imagePushed(event, context);

    // THEN staging SUCCEEDED with the pushed digest, and the answer was logged
    List<Deployment> staging = deployed(digest);
    assertEquals(1, staging.size(), staging.toString());
    assertEquals(Phase.SUCCEEDED, staging.get(0).phase(), staging.toString());
    assertTrue(entry.isAssembled());

    // WHEN Event Grid delivers the same event again (at-least-once delivery)
    HostContext again = new HostContext("imagePushed");
    functions.imagePushed(event, again);

    // THEN it returns (acknowledged, not redelivered) and still one deployment
    assertEquals(1, deployed(digest).size());
    assertTrue(
        String.join("\n", again.logged).contains("imagePushed: 200"), again.logged.toString());
  }

  @Test
  void imagePushed_shouldDeploy_whenTheSubscriptionUsesTheCloudEventsSchema() throws Exception {
    // GIVEN ACR's ImagePushed sample in the CloudEvents 1.0 schema
    String digest = "sha256:" + "c10dc10dc10dc10d".repeat(4);
    String event = JSON.writeValueAsString(push(CLOUD_EVENTS, "ce", digest));

    // WHEN the Event Grid trigger delivers it
    functions.imagePushed(event, new HostContext("imagePushed"));

    // THEN staging SUCCEEDED with it
    assertEquals(Phase.SUCCEEDED, deployed(digest).get(0).phase(), deployed(digest).toString());

    // GIVEN the same kind of push whose data is a JSON string, as ACR once delivered it
    String quirk = "sha256:" + "5757575757575757".repeat(4);
    ObjectNode stringData = push(EVENT_GRID, "eg-string-data", quirk);
    stringData.put("data", JSON.writeValueAsString(stringData.get("data")));

    // WHEN it is delivered, THEN it deploys as well
    functions.imagePushed(JSON.writeValueAsString(stringData), new HostContext("imagePushed"));
    assertEquals(1, deployed(quirk).size(), deployed(quirk).toString());
  }

  @Test
  void imagePushedHttp_shouldAnswerTheHandshakesAndDeploy_whenEventGridPostsToAWebhook()
      throws Exception {
    // GIVEN Event Grid's SubscriptionValidationEvent sample, as it POSTs it to a webhook
    byte[] validation = fixture("azure-eventgrid-subscription-validation.json");

    // WHEN imagePushedHttp receives it
    HostHttpRequest.Response answer =
        response(
            functions.imagePushedHttp(
                request(
                    HttpMethod.POST,
                    "imagePushed?code=key",
                    validation,
                    "aeg-event-type",
                    "SubscriptionValidation",
                    "Content-Type",
                    "application/json"),
                new HostContext("imagePushedHttp")));

    // THEN 200 with the validation code, as Azure's documented response sample says
    assertEquals(200, answer.getStatusCode(), answer.text());
    assertEquals(
        JSON.readTree(fixture("azure-eventgrid-subscription-validation-response.json")),
        JSON.readTree(answer.text()));

    // WHEN a CloudEvents-schema subscription validates with the webhook OPTIONS request
    HostHttpRequest.Response options =
        response(
            functions.imagePushedHttp(
                request(
                    HttpMethod.OPTIONS,
                    "imagePushed",
                    null,
                    "WebHook-Request-Origin",
                    "eventgrid.azure.net"),
                new HostContext("imagePushedHttp")));

    // THEN the origin is allowed back
    assertEquals(200, options.getStatusCode(), options.text());
    assertEquals("eventgrid.azure.net", options.getHeader("WebHook-Allowed-Origin"));

    // WHEN a push arrives as the array Event Grid posts to webhooks
    String digest = "sha256:" + "4ebb4ebb4ebb4ebb".repeat(4);
    byte[] array = JSON.writeValueAsBytes(List.of(push(EVENT_GRID, "eg-http", digest)));
    HostHttpRequest.Response pushed =
        response(
            functions.imagePushedHttp(
                request(
                    HttpMethod.POST,
                    "imagePushed",
                    array,
                    "aeg-event-type",
                    "Notification",
                    "Content-Type",
                    "application/json"),
                new HostContext("imagePushedHttp")));

    // THEN 202 and staging SUCCEEDED
    assertEquals(202, pushed.getStatusCode(), pushed.text());
    assertEquals(Phase.SUCCEEDED, deployed(digest).get(0).phase(), deployed(digest).toString());
  }

  @Test
  void httpFunctions_shouldAnswerWithTheirStatus_whenCalledAsTheFunctionsHostDoes()
      throws Exception {
    // GIVEN something deployed to staging
    String digest = "sha256:" + "fedcba9876543210".repeat(4);
    functions.imagePushed(
        JSON.writeValueAsString(push(EVENT_GRID, "eg-http-fns", digest)),
        new HostContext("imagePushed"));
    assertEquals(Phase.SUCCEEDED, deployed(digest).get(0).phase(), deployed(digest).toString());

    // WHEN status is asked, THEN 200 JSON with staging serving the digest
    HostHttpRequest.Response status =
        response(
            functions.status(request(HttpMethod.GET, "status", null), new HostContext("status")));
    assertEquals(200, status.getStatusCode(), status.text());
    assertEquals("application/json", status.getHeader("content-type"));
    assertTrue(status.text().contains(digest), status.text());

    // WHEN a browser asks for status with the read token, THEN the page says what serves where
    String browser = "text/html,application/xhtml+xml,*/*;q=0.8";
    HostHttpRequest.Response page =
        response(
            functions.status(
                request(
                    HttpMethod.GET,
                    "status",
                    null,
                    "Accept",
                    browser,
                    "x-functions-key",
                    "the-function-key",
                    "X-Rollgate-Token",
                    READ_TOKEN),
                new HostContext("status")));
    assertEquals(200, page.getStatusCode(), page.text());
    assertEquals("text/html; charset=utf-8", page.getHeader("content-type"));
    assertTrue(page.getHeader("content-security-policy").startsWith("default-src 'none'"));
    assertTrue(page.text().contains("<section class=\"env\" data-env=\"shop/staging\">"));
    assertTrue(page.text().contains("title=\"" + digest + "\""), page.text());

    // WHEN it is asked without the read token, or with the function key's value as one, THEN 401
    for (String[] credential :
        List.of(
            new String[] {"x-functions-key", "the-function-key"},
            new String[] {"Authorization", "Bearer the-function-key"})) {
      HostHttpRequest.Response refused =
          response(
              functions.status(
                  request(
                      HttpMethod.GET,
                      "status",
                      null,
                      "Accept",
                      browser,
                      credential[0],
                      credential[1]),
                  new HostContext("status")));
      assertEquals(401, refused.getStatusCode(), refused.text());
      assertEquals("application/json", refused.getHeader("content-type"));
      assertEquals("Bearer realm=\"rollgate status\"", refused.getHeader("www-authenticate"));
      assertTrue(!refused.text().contains(digest), refused.text());
    }

    // WHEN a browser opens a signed link, the function key beside it as ?code= (Azure's way)
    HostHttpRequest.Response minted =
        response(
            functions.status(
                request(HttpMethod.GET, "status?link=5m", null, "X-Rollgate-Token", READ_TOKEN),
                new HostContext("status")));
    assertEquals(200, minted.getStatusCode(), minted.text());
    String query = JSON.readTree(minted.text()).path("query").asText();
    HostHttpRequest.Response linked =
        response(
            functions.status(
                request(
                    HttpMethod.GET,
                    "status?code=the-function-key&" + query,
                    null,
                    "Accept",
                    browser),
                new HostContext("status")));
    // THEN the page
    assertEquals(200, linked.getStatusCode(), linked.text());
    assertTrue(linked.text().contains("title=\"" + digest + "\""), linked.text());

    // WHEN promote is called without rollgate's token, THEN 401
    byte[] promotion =
        ("{\"app\":\"shop\",\"from\":\"staging\",\"to\":\"production\",\"digest\":\""
                + digest
                + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    HostHttpRequest.Response unauthenticated =
        response(
            functions.promote(
                request(HttpMethod.POST, "promote", promotion), new HostContext("promote")));
    assertEquals(401, unauthenticated.getStatusCode(), unauthenticated.text());

    // WHEN promote is called with the token, THEN 202 and production SUCCEEDED
    HostHttpRequest.Response promoted =
        response(
            functions.promote(
                request(HttpMethod.POST, "promote", promotion, "Authorization", "Bearer s3cret"),
                new HostContext("promote")));
    assertEquals(202, promoted.getStatusCode(), promoted.text());
    Deployment production = ledger.deployments("shop", "production", 1).get(0);
    assertEquals(Phase.SUCCEEDED, production.phase(), production.toString());

    // WHEN the finished production deployment is aborted with the token, THEN 409 naming its phase
    byte[] abort =
        ("{\"deployment\":\"" + production.id() + "\",\"by\":\"alice\"}")
            .getBytes(StandardCharsets.UTF_8);
    HostHttpRequest.Response aborted =
        response(
            functions.abort(
                request(HttpMethod.POST, "abort", abort, "Authorization", "Bearer s3cret"),
                new HostContext("abort")));
    assertEquals(409, aborted.getStatusCode(), aborted.text());
    assertTrue(aborted.text().contains("is SUCCEEDED"), aborted.text());

    // WHEN a push of another digest is planned without rollgate's token, THEN 401
    String next = "sha256:" + "0a1b2c3d4e5f6a7b".repeat(4);
    byte[] nextPush =
        JSON.writeValueAsString(push(EVENT_GRID, "eg-http-plan", next))
            .getBytes(StandardCharsets.UTF_8);
    HostHttpRequest.Response unplanned =
        response(
            functions.plan(request(HttpMethod.POST, "plan", nextPush), new HostContext("plan")));
    assertEquals(401, unplanned.getStatusCode(), unplanned.text());

    // WHEN it is planned with the token, THEN 200: staging would deploy it, the image from the
    // serving digest to the pushed one (shown short); nothing was recorded
    HostHttpRequest.Response planned =
        response(
            functions.plan(
                request(HttpMethod.POST, "plan", nextPush, "Authorization", "Bearer s3cret"),
                new HostContext("plan")));
    assertEquals(200, planned.getStatusCode(), planned.text());
    JsonNode plan = JSON.readTree(planned.text());
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
    HostHttpRequest.Response webhook =
        response(
            functions.webhook(
                request(HttpMethod.POST, "webhook/nope", "{}".getBytes(StandardCharsets.UTF_8)),
                new HostContext("webhook")));
    assertEquals(404, webhook.getStatusCode(), webhook.text());
    assertTrue(webhook.text().contains("nope"), webhook.text());
  }

  @Test
  void timers_shouldReconcileBackUpAndVerify_whenTheirSchedulesFire() throws Exception {
    // GIVEN the timer trigger's TimerInfo sample, as the binding passes it
    String timer = text("azure-functions-timer-trigger-timerinfo.json");

    // WHEN reconcile, backup and verifyBackup fire
    HostContext reconcile = new HostContext("reconcile");
    functions.reconcile(timer, reconcile);
    HostContext backup = new HostContext("backup");
    functions.backup(timer, backup);
    HostContext verify = new HostContext("verifyBackup");
    functions.verifyBackup(timer, verify);

    // THEN each returned and logged a 2xx answer; orders' backup was taken and verified
    for (HostContext c : List.of(reconcile, backup, verify)) {
      String log = String.join("\n", c.logged);
      assertTrue(log.startsWith("INFO " + c.getFunctionName() + ": 2"), log);
    }
    assertTrue(String.join("", backup.logged).contains("orders"), backup.logged.toString());
    JsonNode verified =
        JSON.readTree(verify.logged.get(0).substring(verify.logged.get(0).indexOf('{')));
    assertTrue(verified.toString().contains("orders"), verified.toString());
  }
}
