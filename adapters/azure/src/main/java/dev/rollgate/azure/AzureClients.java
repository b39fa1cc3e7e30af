package dev.rollgate.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.resourcemanager.appcontainers.ContainerAppsApiManager;
import com.azure.resourcemanager.appcontainers.fluent.ContainerAppsApiClient;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;

/**
 * Azure's Container Apps management clients (azure-resourcemanager-appcontainers), one per
 * subscription, each built on first use. Against Azure: {@code management.azure.com} with
 * DefaultAzureCredential (the Function App's managed identity). Against another ARM endpoint
 * ({@link AzureSettings#armEndpoint()}, e.g. the fake): a fixed placeholder token, still sent by
 * the SDK's own bearer-token policy, which is why the endpoint must be HTTPS and its certificate
 * trusted ({@link AzureSettings#trustCertificate()}). The SDK's retry policy is off: {@link
 * AzureFaults} retries whole read-modify-writes.
 */
final class AzureClients {

  private final AzureSettings settings;
  private final Map<String, ContainerAppsApiClient> bySubscription = new ConcurrentHashMap<>();
  private volatile HttpClient http;
  private volatile TokenCredential credential;

  AzureClients(AzureSettings settings) {
    this.settings = settings;
  }

  AzureSettings settings() {
    return settings;
  }

  /** The Container Apps API client of {@code subscription}. */
  ContainerAppsApiClient containerApps(String subscription) {
    return bySubscription.computeIfAbsent(subscription, this::build);
  }

  private ContainerAppsApiClient build(String subscription) {
    AzureProfile profile;
    if (settings.armEndpoint() == null) {
      profile = new AzureProfile(null, subscription, AzureEnvironment.AZURE);
    } else {
      String base = settings.armEndpoint() + "/";
      profile =
          new AzureProfile(
              "rollgate",
              subscription,
              new AzureEnvironment(
                  Map.of(
                      "resourceManagerEndpointUrl", base,
                      "managementEndpointUrl", base,
                      "activeDirectoryEndpointUrl", base + "aad/")));
    }
    return ContainerAppsApiManager.configure()
        .withHttpClient(http())
        .withRetryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
        .withDefaultPollInterval(settings.operationPoll())
        .authenticate(credential(), profile)
        .serviceClient();
  }

  private synchronized HttpClient http() {
    if (http == null) {
      if (settings.trustCertificate() == null) {
        http = new NettyAsyncHttpClientBuilder().build();
      } else {
        SslContext ssl;
        try {
          ssl =
              SslContextBuilder.forClient()
                  .trustManager(new File(settings.trustCertificate()))
                  .build();
        } catch (SSLException | IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "rollgate.azure.trust-certificate: cannot read a PEM certificate from '"
                  + settings.trustCertificate()
                  + "': "
                  + e.getMessage(),
              e);
        }
        http =
            new NettyAsyncHttpClientBuilder(
                    reactor.netty.http.client.HttpClient.create()
                        .secure(spec -> spec.sslContext(ssl)))
                .build();
      }
    }
    return http;
  }

  private synchronized TokenCredential credential() {
    if (credential == null) {
      credential =
          settings.armEndpoint() == null
              ? new DefaultAzureCredentialBuilder().build()
              : request ->
                  Mono.just(
                      new AccessToken(
                          "rollgate-placeholder-token", OffsetDateTime.now().plusHours(1)));
    }
    return credential;
  }
}
