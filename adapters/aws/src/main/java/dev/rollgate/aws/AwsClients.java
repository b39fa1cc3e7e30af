package dev.rollgate.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The SDK clients, one per service and region, each built on first use: a function that never
 * touches S3 never pays for an S3 client, and nothing is built while a snapshot is taken.
 */
final class AwsClients implements AutoCloseable {

  private final AwsSettings settings;
  private final SdkHttpClient http; // null: a URLConnection client per SDK client
  private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();
  private final AtomicInteger built = new AtomicInteger();
  private AwsCredentialsProvider defaultCredentials; // guarded by this

  AwsClients(AwsSettings settings) {
    this(settings, null);
  }

  /** Clients that all send through {@code http} (priming: answers made up in process). */
  AwsClients(AwsSettings settings, SdkHttpClient http) {
    this.settings = settings;
    this.http = http;
  }

  AwsSettings settings() {
    return settings;
  }

  /** True when every answer comes from an in-process HTTP client (priming), not from AWS. */
  boolean madeUp() {
    return http != null;
  }

  /** ECS for reads and other idempotent calls: the SDK retries them. */
  EcsClient ecs(String region) {
    return client("ecs", region, true, EcsClient::builder);
  }

  /**
   * ECS for calls that change something (register, update, run): made once, because a retry after a
   * lost answer would register twice or start a second task; callers re-check state instead.
   */
  EcsClient ecsOnce(String region) {
    return client("ecs-once", region, false, EcsClient::builder);
  }

  SecretsManagerClient secrets(String region) {
    return client("secretsmanager", region, true, SecretsManagerClient::builder);
  }

  S3Client s3(String region) {
    return client(
        "s3",
        region,
        true,
        () -> S3Client.builder().forcePathStyle(settings.endpoint() != null ? true : null));
  }

  /** How many clients were built so far: cold-start tests assert that wiring builds none. */
  int built() {
    return built.get();
  }

  @Override
  public void close() {
    clients.values().forEach(SdkClient::close);
    clients.clear();
    synchronized (this) {
      if (defaultCredentials instanceof SdkAutoCloseable closeable) {
        closeable.close();
      }
      defaultCredentials = null;
    }
  }

  /** One default chain for all clients, so that credentials are looked up once, on first use. */
  private synchronized AwsCredentialsProvider defaultCredentials() {
    if (defaultCredentials == null) {
      defaultCredentials = DefaultCredentialsProvider.builder().build();
    }
    return defaultCredentials;
  }

  @SuppressWarnings("unchecked")
  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkClient>
      C client(String kind, String region, boolean retries, Supplier<B> builder) {
    String effective = region != null ? region : settings.region();
    String key = kind + "@" + (effective == null ? "" : effective);
    return (C) clients.computeIfAbsent(key, k -> build(builder.get(), effective, retries));
  }

  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkClient>
      C build(B builder, String region, boolean retries) {
    if (http != null) {
      builder.httpClient(http);
    } else {
      builder.httpClientBuilder(
          UrlConnectionHttpClient.builder()
              .connectionTimeout(settings.connectTimeout())
              .socketTimeout(settings.socketTimeout()));
    }
    builder.overrideConfiguration(
        o ->
            o.apiCallAttemptTimeout(settings.attemptTimeout())
                .apiCallTimeout(settings.callTimeout())
                .retryStrategy(
                    retries
                        ? AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(settings.maxAttempts())
                            .build()
                        : AwsRetryStrategy.doNotRetry()));
    builder.credentialsProvider(
        settings.credentials() != null ? settings.credentials() : defaultCredentials());
    if (region != null) {
      builder.region(Region.of(region));
    }
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    C client = builder.build();
    built.incrementAndGet();
    return client;
  }
}
