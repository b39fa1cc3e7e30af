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
  }
}
