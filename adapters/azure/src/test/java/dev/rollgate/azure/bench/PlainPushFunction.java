package dev.rollgate.azure.bench;

import com.azure.core.credential.AccessToken;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.core.util.Context;
import com.azure.resourcemanager.appcontainers.ContainerAppsApiManager;
import com.azure.resourcemanager.appcontainers.fluent.ContainerAppsApiClient;
import com.azure.resourcemanager.appcontainers.fluent.models.ContainerAppInner;
import com.azure.resourcemanager.appcontainers.models.Configuration;
import com.azure.resourcemanager.appcontainers.models.Ingress;
import com.azure.resourcemanager.appcontainers.models.Template;
import com.azure.resourcemanager.appcontainers.models.TrafficWeight;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The cold-start bench's baseline: a plain Azure Functions function doing what a hand-written
 * deployer would with Azure's SDK for the same Event Grid push: read ACR's ImagePushed event (Event
 * Grid schema), GET the Container App, PATCH it with the container's image pinned by digest, a
 * revision suffix and the ingress traffic 100% on that revision by name, await ARM's operation,
 * then one GET of the health URL. The same SDK calls and HTTP client set-up as rollgate's Container
 * Apps adapter (Netty, the endpoint's certificate trusted, a placeholder token through the SDK's
 * bearer-token policy, the SDK's retries off, the same poll interval). No ledger, no manifest, no
 * retries, no health observation of the revision. Settings: {@code PLAIN_ARM_ENDPOINT}, {@code
 * PLAIN_TRUST_CERTIFICATE} (a PEM file), {@code PLAIN_SUBSCRIPTION}, {@code PLAIN_RESOURCE_GROUP},
 * {@code PLAIN_APP}, {@code PLAIN_HEALTH_URL}, {@code PLAIN_OPERATION_POLL} (ISO-8601).
 */
public final class PlainPushFunction {

  private static final ObjectMapper JSON = new ObjectMapper();

  @FunctionName("imagePushed")
  public void imagePushed(@EventGridTrigger(name = "event") String event, ExecutionContext context)
      throws Exception {
    JsonNode data = JSON.readTree(event).path("data");
    String digest = data.path("target").path("digest").asText();
    String image =
        data.path("request").path("host").asText()
            + "/"
            + data.path("target").path("repository").asText()
            + "@"
            + digest;
    ContainerAppsApiClient arm =
        arm(
            System.getenv("PLAIN_ARM_ENDPOINT"),
            System.getenv("PLAIN_TRUST_CERTIFICATE"),
            System.getenv("PLAIN_SUBSCRIPTION"),
            Duration.parse(System.getenv("PLAIN_OPERATION_POLL")));
    String group = System.getenv("PLAIN_RESOURCE_GROUP");
    String name = System.getenv("PLAIN_APP");
    ContainerAppInner app = arm.getContainerApps().getByResourceGroup(group, name);
    // The bench's digests differ in their last digits.
    String suffix = "p" + digest.substring(digest.length() - 10);
    String revision = name + "--" + suffix;
    Template template = app.template().withRevisionSuffix(suffix);
    template.containers().get(0).withImage(image);
    Ingress ingress =
        app.configuration()
            .ingress()
            .withTraffic(List.of(new TrafficWeight().withRevisionName(revision).withWeight(100)));
    ContainerAppInner patch =
        new ContainerAppInner()
            .withTemplate(template)
            .withConfiguration(new Configuration().withIngress(ingress));
    patch.withLocation(app.location());
    ContainerAppInner updated =
        arm.getContainerApps().beginUpdate(group, name, patch, Context.NONE).getFinalResult();
    if (!revision.equals(updated.latestRevisionName())) {
      throw new IllegalStateException(
          revision + " was not made: the latest revision is " + updated.latestRevisionName());
    }
    int health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(System.getenv("PLAIN_HEALTH_URL"))).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
    if (health != 200) {
      throw new IllegalStateException("health answered " + health);
    }
    context.getLogger().info("deployed " + image + " as " + revision);
  }

  /**
   * Container Apps' management client on the ARM endpoint {@code endpoint} whose certificate is the
   * PEM file {@code pem}, for {@code subscription}: what rollgate's adapter builds for a non-Azure
   * endpoint (the bench sets its apps up with it too).
   */
  public static ContainerAppsApiClient arm(
      String endpoint, String pem, String subscription, Duration poll) throws Exception {
    String base = endpoint + "/";
    AzureProfile profile =
        new AzureProfile(
            "plain",
            subscription,
            new AzureEnvironment(
                Map.of(
                    "resourceManagerEndpointUrl", base,
                    "managementEndpointUrl", base,
                    "activeDirectoryEndpointUrl", base + "aad/")));
    SslContext ssl = SslContextBuilder.forClient().trustManager(new File(pem)).build();
    return ContainerAppsApiManager.configure()
        .withHttpClient(
            new NettyAsyncHttpClientBuilder(
                    reactor.netty.http.client.HttpClient.create()
                        .secure(spec -> spec.sslContext(ssl)))
                .build())
        .withRetryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
        .withDefaultPollInterval(poll)
        .authenticate(
            request ->
                Mono.just(new AccessToken("plain-placeholder", OffsetDateTime.now().plusHours(1))),
            profile)
        .serviceClient();
  }
}
