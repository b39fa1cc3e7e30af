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
 * subscription, each built on first use, and the HTTP client and credential every client against
 * {@link AzureSettings#endpoint()} shares (Key Vault's too). Against Azure: {@code
 * management.azure.com} with DefaultAzureCredential (the Function App's managed identity). Against
 * the emulator's endpoint: a fixed placeholder token, still sent by the SDK's own bearer-token
 * policy, which is why the endpoint must be HTTPS and its certificate trusted ({@link
 * AzureSettings#trustCertificate()}). The SDK's retry policy is off: {@link AzureFaults} retries
 * whole read-modify-writes.
 */
final class AzureClients {

  /** What is sent to the emulator, which takes any bearer token. */
  static final TokenCredential PLACEHOLDER =
      request ->
          Mono.just(
              new AccessToken("rollgate-placeholder-token", OffsetDateTime.now().plusHours(1)));

  private final AzureSettings settings;
  private final Map<String, ContainerAppsApiClient> bySubscription = new ConcurrentHashMap<>();
  private volatile HttpClient http;
  private volatile TokenCredential azureCredential;

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
    if (settings.endpoint() == null) {
      profile = new AzureProfile(null, subscription, AzureEnvironment.AZURE);
    } else {
      String base = settings.endpoint() + "/";
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

  /**
   * The HTTP client (Netty, as the SDK's default): trusting {@link
   * AzureSettings#trustCertificate()} only when it is set, else the JVM's trust store.
   */
  synchronized HttpClient http() {
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
              AzureSettings.TRUST_CERTIFICATE
                  + ": cannot read a PEM certificate from '"
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

  /**
   * The credential for {@link AzureSettings#endpoint()}: the emulator takes any bearer token, so a
   * fixed placeholder; without an endpoint, {@link #azureCredential()}.
   */
  TokenCredential credential() {
    return settings.endpoint() == null ? azureCredential() : PLACEHOLDER;
  }

  /** DefaultAzureCredential (the Function App's managed identity), built once, on first use. */
  synchronized TokenCredential azureCredential() {
    if (azureCredential == null) {
      azureCredential = new DefaultAzureCredentialBuilder().build();
    }
    return azureCredential;
  }
}
