package dev.rollgate.gcp.bench;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.GetServiceRequest;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesGrpc;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A minimal in-process stand-in for the Cloud Run Admin API v2 Services, for the cold-start bench
 * only, until the protocol-faithful fake ({@code scripts/rollgate emulate gcp}) replaces it: the
 * lead swaps it. Shapes from {@code google/cloud/run/v2/service.proto} (proto-google-cloud-run-v2
 * 0.88.0): GetService answers the stored Service; UpdateService stores the new template, bumps
 * {@code generation} (and, since every revision here is healthy, {@code observed_generation},
 * {@code latest_created_revision}, {@code latest_ready_revision} and {@code traffic_statuses}) and
 * answers a long-running Operation whose metadata and response are the Service. Unlike the real API
 * the operation is done at once, so neither side of the bench polls.
 */
final class StandInCloudRun extends ServicesGrpc.ServicesImplBase implements AutoCloseable {

  private final Map<String, Service> services = new ConcurrentHashMap<>();
  private final Server server;

  private StandInCloudRun(int port) throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .addService(this)
            .build()
            .start();
  }

  /** Serves on {@code 127.0.0.1} on a free port. */
  static StandInCloudRun start() throws IOException {
    return new StandInCloudRun(0);
  }

  /** {@code 127.0.0.1:port}, what {@code ROLLGATE_GCP_EMULATOR_HOST} is set to. */
  String host() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Creates (or replaces) a service serving {@code image} from its first revision. */
  void create(String name, String image, String uri) {
    String revision = shortName(name) + "-00001-std";
    services.put(
        name,
        Service.newBuilder()
            .setName(name)
            .setUri(uri)
            .setGeneration(1)
            .setObservedGeneration(1)
            .setTemplate(
                com.google.cloud.run.v2.RevisionTemplate.newBuilder()
                    .setRevision(revision)
                    .addContainers(
                        com.google.cloud.run.v2.Container.newBuilder()
                            .setName("app")
                            .setImage(image)))
            .addTraffic(
                TrafficTarget.newBuilder()
                    .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST)
                    .setPercent(100))
            .setLatestCreatedRevision(name + "/revisions/" + revision)
            .setLatestReadyRevision(name + "/revisions/" + revision)
            .addTrafficStatuses(
                TrafficTargetStatus.newBuilder()
                    .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
                    .setRevision(revision)
                    .setPercent(100))
            .setTerminalCondition(ready())
            .setEtag(UUID.randomUUID().toString())
            .build());
  }

  /** The image serving {@code name} now. */
  String image(String name) {
    Service s = services.get(name);
    return s == null ? null : s.getTemplate().getContainers(0).getImage();
  }

  @Override
  public void getService(GetServiceRequest request, StreamObserver<Service> answer) {
    Service s = services.get(request.getName());
    if (s == null) {
      answer.onError(Status.NOT_FOUND.withDescription(request.getName()).asRuntimeException());
      return;
    }
    answer.onNext(s);
    answer.onCompleted();
  }

  @Override
  public void updateService(UpdateServiceRequest request, StreamObserver<Operation> answer) {
    String name = request.getService().getName();
    Service old = services.get(name);
    if (old == null) {
      answer.onError(Status.NOT_FOUND.withDescription(name).asRuntimeException());
      return;
    }
    long generation = old.getGeneration() + 1;
    String revision = request.getService().getTemplate().getRevision();
    if (revision.isEmpty()) {
      revision = shortName(name) + "-%05d-std".formatted(generation);
    }
    List<TrafficTarget> traffic =
        request.getService().getTrafficCount() == 0
            ? old.getTrafficList()
            : request.getService().getTrafficList();
    List<TrafficTargetStatus> statuses = new ArrayList<>();
    for (TrafficTarget t : traffic) {
      statuses.add(
          TrafficTargetStatus.newBuilder()
              .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION)
              .setRevision(
                  t.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST
                      ? revision
                      : t.getRevision())
              .setPercent(t.getPercent())
              .build());
    }
    Service updated =
        request.getService().toBuilder()
            .setUri(old.getUri())
            .setGeneration(generation)
            .setObservedGeneration(generation)
            .setLatestCreatedRevision(name + "/revisions/" + revision)
            .setLatestReadyRevision(name + "/revisions/" + revision)
            .clearTraffic()
            .addAllTraffic(traffic)
            .clearTrafficStatuses()
            .addAllTrafficStatuses(statuses)
            .setTerminalCondition(ready())
            .setEtag(UUID.randomUUID().toString())
            .build();
    services.put(name, updated);
    answer.onNext(
        Operation.newBuilder()
            .setName(
                name.substring(0, name.indexOf("/services/")) + "/operations/" + UUID.randomUUID())
            .setMetadata(Any.pack(updated))
            .setDone(true)
            .setResponse(Any.pack(updated))
            .build());
    answer.onCompleted();
  }

  private static Condition ready() {
    return Condition.newBuilder()
        .setType("Ready")
        .setState(Condition.State.CONDITION_SUCCEEDED)
        .build();
  }

  private static String shortName(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
  }
}
