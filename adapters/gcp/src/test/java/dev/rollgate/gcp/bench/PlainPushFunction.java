package dev.rollgate.gcp.bench;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.longrunning.OperationTimedPollAlgorithm;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.functions.CloudEventsFunction;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.ServicesSettings;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.cloudevents.CloudEvent;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The cold-start bench's baseline: a plain Functions Framework function doing what a hand-written
 * deployer would for the same Eventarc push: decode the {@code messagePublished} event's Pub/Sub
 * message and the Artifact Registry notification in it, GetService, UpdateService with the image
 * pinned by digest, a named revision and traffic on it, then one GET of the health URL. No ledger,
 * no manifest, no retries. Settings: {@code PLAIN_SERVICE} (the service's full name), {@code
 * PLAIN_HEALTH_URL}, {@code ROLLGATE_GCP_EMULATOR_HOST}, {@code PLAIN_OPERATION_POLL} (how often
 * the operation is polled, an ISO-8601 duration: the bench gives both sides the same).
 */
public final class PlainPushFunction implements CloudEventsFunction {

  @Override
  public void accept(CloudEvent event) throws Exception {
    JsonObject data =
        JsonParser.parseString(new String(event.getData().toBytes(), StandardCharsets.UTF_8))
            .getAsJsonObject();
    String encoded = data.getAsJsonObject("message").get("data").getAsString();
    JsonObject notification =
        JsonParser.parseString(
                new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8))
            .getAsJsonObject();
    String image = notification.get("digest").getAsString();
    String digest = image.substring(image.indexOf("@sha256:") + "@sha256:".length());
    ManagedChannel channel =
        ManagedChannelBuilder.forTarget(System.getenv("ROLLGATE_GCP_EMULATOR_HOST"))
            .usePlaintext()
            .build();
    ServicesSettings.Builder settings =
        ServicesSettings.newBuilder()
            .setTransportChannelProvider(
                FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
            .setCredentialsProvider(NoCredentialsProvider.create());
    Duration poll = Duration.parse(System.getenv("PLAIN_OPERATION_POLL"));
    settings
        .updateServiceOperationSettings()
        .setPollingAlgorithm(
            OperationTimedPollAlgorithm.create(
                RetrySettings.newBuilder()
                    .setInitialRetryDelayDuration(poll)
                    .setRetryDelayMultiplier(1.0)
                    .setMaxRetryDelayDuration(poll)
                    .setInitialRpcTimeoutDuration(Duration.ZERO)
                    .setRpcTimeoutMultiplier(1.0)
                    .setMaxRpcTimeoutDuration(Duration.ZERO)
                    .setTotalTimeoutDuration(Duration.ofMinutes(5))
                    .build()));
    try (ServicesClient services = ServicesClient.create(settings.build())) {
      String name = System.getenv("PLAIN_SERVICE");
      Service service = services.getService(name);
      // Cloud Run wants revision names to start with the service's name and '-'; the bench's
      // digests differ in their last digits.
      String revision =
          name.substring(name.lastIndexOf('/') + 1) + "-" + digest.substring(digest.length() - 12);
      Service.Builder next = service.toBuilder();
      next.getTemplateBuilder().setRevision(revision).getContainersBuilder(0).setImage(image);
      next.clearTraffic()
          .addTraffic(
              TrafficTarget.newBuilder()
                  .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
                  .setRevision(revision)
                  .setPercent(100));
      Service updated =
          services
              .updateServiceAsync(UpdateServiceRequest.newBuilder().setService(next).build())
              .get();
      if (!updated.getLatestReadyRevision().endsWith("/revisions/" + revision)) {
        throw new IllegalStateException(revision + " is not ready: " + updated);
      }
    } finally {
      channel.shutdownNow();
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
  }
}
