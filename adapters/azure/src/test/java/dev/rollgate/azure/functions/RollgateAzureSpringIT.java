package dev.rollgate.azure.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.azure.functions.HttpMethod;
import dev.rollgate.azure.functions.worker.HostContext;
import dev.rollgate.azure.functions.worker.HostHttpRequest;
import dev.rollgate.core.model.Phase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.adapter.azure.AzureFunctionInstanceInjector;

/**
 * The alternative entry ({@link RollgateAzureSpring}) as Azure's worker would use it with Spring
 * Cloud Function's Azure adapter: the worker asks the adapter's {@code
 * AzureFunctionInstanceInjector} (found through ServiceLoader) for the function class's instance,
 * which starts Spring Boot with {@code MAIN_CLASS}; then calls the methods as it calls them.
 */
class RollgateAzureSpringIT extends AzureEntryFixture {

  @AfterAll
  void clearMainClass() {
    System.clearProperty("MAIN_CLASS");
  }

  @Test
  void injector_shouldServeTheFunctionsFromSpring_whenMainClassIsTheInitializer() throws Exception {
    // GIVEN MAIN_CLASS naming the initializer, and the adapter's injector
    System.setProperty("MAIN_CLASS", RollgateAzureSpring.MAIN_CLASS);
    AzureFunctionInstanceInjector injector = new AzureFunctionInstanceInjector();

    // WHEN the worker asks it for the function class's instance, twice
    RollgateAzureFunctions viaSpring = injector.getInstance(RollgateAzureFunctions.class);

    // THEN one Spring-made instance serves every invocation
    assertSame(viaSpring, injector.getInstance(RollgateAzureFunctions.class));

    // WHEN an Event Grid push and a status request arrive through it
    String digest = "sha256:" + "5b5b5b5b5b5b5b5b".repeat(4);
    viaSpring.imagePushed(
        JSON.writeValueAsString(push("azure-eventgrid-acr-image-pushed.json", "spring", digest)),
        new HostContext("imagePushed"));
    HostHttpRequest.Response status =
        response(
            viaSpring.status(request(HttpMethod.GET, "status", null), new HostContext("status")));

    // THEN staging SUCCEEDED and status shows it
    assertEquals(Phase.SUCCEEDED, deployed(digest).get(0).phase(), deployed(digest).toString());
    assertEquals(200, status.getStatusCode(), status.text());
    assertTrue(status.text().contains(digest), status.text());

    // WHEN a push in the CloudEvents 1.0 schema arrives through it
    String ceDigest = "sha256:" + "5c5c5c5c5c5c5c5c".repeat(4);
    viaSpring.imagePushed(
        JSON.writeValueAsString(
            push("azure-cloudevents-acr-image-pushed.json", "spring-ce", ceDigest)),
        new HostContext("imagePushed"));

    // THEN it deploys as well
    assertEquals(Phase.SUCCEEDED, deployed(ceDigest).get(0).phase(), deployed(ceDigest).toString());

    // WHEN Event Grid validates a webhook subscription through it
    HostHttpRequest.Response validation =
        response(
            viaSpring.imagePushedHttp(
                request(
                    HttpMethod.POST,
                    "imagePushed?code=key",
                    fixture("azure-eventgrid-subscription-validation.json"),
                    "aeg-event-type",
                    "SubscriptionValidation",
                    "Content-Type",
                    "application/json"),
                new HostContext("imagePushedHttp")));

    // THEN the validation code is answered, as Azure's documented response sample says
    assertEquals(200, validation.getStatusCode(), validation.text());
    assertEquals(
        JSON.readTree(fixture("azure-eventgrid-subscription-validation-response.json")),
        JSON.readTree(validation.text()));

    // WHEN reconcile's timer fires with the binding's TimerInfo
    HostContext reconcile = new HostContext("reconcile");
    viaSpring.reconcile(text("azure-functions-timer-trigger-timerinfo.json"), reconcile);

    // THEN it answered 2xx
    String log = String.join("\n", reconcile.logged);
    assertTrue(log.startsWith("INFO reconcile: 2"), log);
  }
}
