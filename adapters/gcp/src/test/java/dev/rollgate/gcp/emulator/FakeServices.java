package dev.rollgate.gcp.emulator;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.CreateServiceRequest;
import com.google.cloud.run.v2.GetServiceRequest;
import com.google.cloud.run.v2.ListServicesRequest;
import com.google.cloud.run.v2.ListServicesResponse;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesGrpc;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.UpdateServiceRequest;
import com.google.longrunning.Operation;
import dev.rollgate.gcp.emulator.CloudRunFaults.Kind;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code google.cloud.run.v2.Services} (service.proto): CreateService, GetService, ListServices,
 * UpdateService. Writes answer a {@code google.longrunning.Operation} whose metadata, and response
 * once done, is the Service (as service.proto's {@code operation_info} says: response_type and
 * metadata_type Service). The shape of a live Service (uri, urls, conditions, traffic_statuses) is
 * the one quoted in a comment of firebase-tools {@code src/gcp/runv2.ts}.
 */
final class FakeServices extends ServicesGrpc.ServicesImplBase {

  private static final Pattern SERVICE_ID = Pattern.compile("[a-z]([-a-z0-9]{0,47}[a-z0-9])?");

  private final CloudRunStore store;
  private final FakeCalls calls;
  private final ServiceRollouts rollouts;

  FakeServices(CloudRunStore store, FakeCalls calls) {
    this.store = store;
    this.calls = calls;
    this.rollouts = new ServiceRollouts(store);
  }

  @Override
  public void createService(CreateServiceRequest request, StreamObserver<Operation> observer) {
    calls.answer("CreateService", observer, fault -> create(request));
  }

  private Operation create(CreateServiceRequest request) {
    String id = request.getServiceId();
    if (!SERVICE_ID.matcher(id).matches()) {
      throw FakeCalls.invalid(
          "service_id: '" + id + "': use lower-case letters, digits and '-', at most 49");
    }
    String name = request.getParent() + "/services/" + id;
    if (store.services.containsKey(name)) {
      throw Status.ALREADY_EXISTS
          .withDescription("Resource '" + id + "' already exists.")
          .asRuntimeException();
    }
    Service requested = request.getService();
    String created = rollouts.createRevision(name, null, requested.getTemplate(), 1);
    List<TrafficTarget> traffic = ServiceRollouts.traffic(requested, null);
    rollouts.checkTraffic(name, traffic, created);
    String region = CloudRunStore.id(request.getParent());
    String project = request.getParent().split("/")[1];
    String uri = "https://%s-%d.%s.run.app".formatted(id, projectNumber(project), region);
    Service s =
        requested.toBuilder()
            .setName(name)
            .setUid(UUID.randomUUID().toString())
            .setGeneration(1)
            .setCreateTime(store.timestamp())
            .setUpdateTime(store.timestamp())
            .setCreator("rollgate-fake@" + project + ".iam.gserviceaccount.com")
            .setLastModifier("rollgate-fake@" + project + ".iam.gserviceaccount.com")
            .clearTraffic()
            .addAllTraffic(traffic)
            .setLatestCreatedRevision(created)
            .setUri(uri)
            .clearUrls()
            .addUrls(uri)
            .setReconciling(true)
            .setTerminalCondition(
                rollouts.condition("Ready", Condition.State.CONDITION_RECONCILING, ""))
            .setEtag(store.etag())
            .build();
    store.services.put(name, s);
    return store.start(request.getParent(), s, op -> rollouts.finish(op, name, 1, created));
  }

  @Override
  public void getService(GetServiceRequest request, StreamObserver<Service> observer) {
    calls.answer("GetService", observer, fault -> service(request.getName()));
  }

  private Service service(String name) {
    Service s = store.services.get(name);
    if (s == null) {
      throw FakeCalls.notFound("SERVICE", name);
    }
    return s;
  }

  @Override
  public void listServices(
      ListServicesRequest request, StreamObserver<ListServicesResponse> observer) {
    calls.answer(
        "ListServices",
        observer,
        fault ->
            ListServicesResponse.newBuilder()
                .addAllServices(
                    store.services.values().stream()
                        .filter(s -> s.getName().startsWith(request.getParent() + "/services/"))
                        .toList())
                .build());
  }

  @Override
  public void updateService(UpdateServiceRequest request, StreamObserver<Operation> observer) {
    calls.answer("UpdateService", observer, fault -> update(request, fault));
  }

  private Operation update(UpdateServiceRequest request, Kind fault) {
    Service requested = request.getService();
    String name = requested.getName();
    Service current = service(name);
    if (fault == Kind.ETAG_CONFLICT) {
      // Someone else changed the service a moment before (a label, say): the etag moves on.
      current = current.toBuilder().setEtag(store.etag()).setUpdateTime(store.timestamp()).build();
      store.services.put(name, current);
    }
    FakeCalls.checkEtag(requested.getEtag(), current.getEtag(), name);
    long generation = current.getGeneration() + 1;
    String created = rollouts.createRevision(name, current, requested.getTemplate(), generation);
    List<TrafficTarget> traffic = ServiceRollouts.traffic(requested, current);
    rollouts.checkTraffic(name, traffic, created);
    Service s =
        current.toBuilder()
            .setDescription(requested.getDescription())
            .clearLabels()
            .putAllLabels(requested.getLabelsMap())
            .clearAnnotations()
            .putAllAnnotations(requested.getAnnotationsMap())
            .setIngress(requested.getIngress())
            .setTemplate(requested.getTemplate())
            .setScaling(requested.getScaling())
            .setInvokerIamDisabled(requested.getInvokerIamDisabled())
            .clearTraffic()
            .addAllTraffic(traffic)
            .setGeneration(generation)
            .setUpdateTime(store.timestamp())
            .setLatestCreatedRevision(
                created != null ? created : current.getLatestCreatedRevision())
            .setReconciling(true)
            .setEtag(store.etag())
            .build();
    store.services.put(name, s);
    return store.start(
        CloudRunStore.location(name), s, op -> rollouts.finish(op, name, generation, created));
  }

  /** A stable 12-digit number for a project id, as service URLs carry the project number. */
  static long projectNumber(String project) {
    return 100_000_000_000L
        + Math.floorMod((long) project.hashCode() * 2_654_435_761L, 899_999_999_999L);
  }
}
