package dev.rollgate.gcp.bench;

import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.ServicesSettings;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.cloud.run.v2.UpdateServiceRequest;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.core.port.ServicePlatform;
import dev.rollgate.gcp.GcpClients;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * A stand-in {@code cloudrun} platform for the cold-start bench only, while the Cloud Run platform
 * is built elsewhere: the same two calls the plain function makes (GetService, then UpdateService
 * with the image pinned, the revision named and traffic on it), then GetService to observe. The
 * bench uses it only when the artifact has no Cloud Run platform of its own; the lead removes it.
 */
final class StandInCloudRunPlatform implements ServicePlatform, AutoCloseable {

  private final GcpClients clients;
  private ServicesClient services;

  StandInCloudRunPlatform(GcpClients clients) {
    this.clients = clients;
  }

  @Override
  public String name() {
    return "cloudrun";
  }

  @Override
  public List<String> validate(TargetSpec target) {
    List<String> problems = new ArrayList<>();
    for (String key : List.of("project", "region", "service")) {
      if (target.get(key) == null) {
        problems.add(target.path() + "." + key + ": missing");
      }
    }
    return problems;
  }

  @Override
  public ServiceState describe(TargetSpec target) throws PlatformException {
    Service s = get(target);
    String revision = s.getLatestReadyRevision();
    return new ServiceState(
        revision.substring(revision.lastIndexOf('/') + 1),
        ImageRef.parse(s.getTemplate().getContainers(0).getImage()),
        url(target, s));
  }

  @Override
  public Revision rollOut(TargetSpec target, String deploymentId, ImageRef image)
      throws PlatformException {
    Service s = get(target);
    String revision = target.get("service") + "-" + deploymentId.substring(0, 8);
    if (!s.getLatestCreatedRevision().endsWith("/revisions/" + revision)) {
      Service.Builder next = s.toBuilder();
      next.getTemplateBuilder()
          .setRevision(revision)
          .getContainersBuilder(0)
          .setImage(image.pinned());
      next.clearTraffic()
          .addTraffic(
              TrafficTarget.newBuilder()
                  .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
                  .setRevision(revision)
                  .setPercent(100));
      try {
        client()
            .updateServiceAsync(UpdateServiceRequest.newBuilder().setService(next).build())
            .get();
      } catch (ExecutionException e) {
        throw new PlatformException("UpdateService " + s.getName() + ": " + e.getCause(), true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PlatformException("interrupted", true);
      }
    }
    return new Revision(revision, url(target, s));
  }

  @Override
  public RolloutStatus observe(TargetSpec target, String revision) throws PlatformException {
    Service s = get(target);
    for (TrafficTargetStatus t : s.getTrafficStatusesList()) {
      if (t.getRevision().equals(revision)
          && t.getPercent() == 100
          && s.getLatestReadyRevision().endsWith("/revisions/" + revision)) {
        return RolloutStatus.ready(revision + " serves 100%");
      }
    }
    return RolloutStatus.inProgress(revision + " does not serve yet");
  }

  @Override
  public void restore(TargetSpec target, String revision) throws PlatformException {
    throw new PlatformException("the bench's stand-in does not restore", false);
  }

  private Service get(TargetSpec target) throws PlatformException {
    String name =
        "projects/%s/locations/%s/services/%s"
            .formatted(target.get("project"), target.get("region"), target.get("service"));
    try {
      return client().getService(name);
    } catch (RuntimeException e) {
      throw new PlatformException("GetService " + name + ": " + e.getMessage(), true);
    }
  }

  private static String url(TargetSpec target, Service s) {
    return target.get("url") != null ? target.get("url") : s.getUri();
  }

  private synchronized ServicesClient client() throws PlatformException {
    if (services == null) {
      try {
        services = ServicesClient.create(clients.configure(ServicesSettings.newBuilder()).build());
      } catch (IOException e) {
        throw new PlatformException("cannot build the Cloud Run client: " + e.getMessage(), true);
      }
    }
    return services;
  }

  @Override
  public synchronized void close() {
    if (services != null) {
      services.close();
    }
  }
}
