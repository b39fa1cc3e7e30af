package dev.rollgate.gcp;

import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.CreateJobRequest;
import com.google.cloud.run.v2.CreateServiceRequest;
import com.google.cloud.run.v2.ExecutionTemplate;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TaskTemplate;
import dev.rollgate.core.manifest.TargetSpec;
import dev.rollgate.core.port.Clock;
import dev.rollgate.gcp.emulator.CloudRunFake;
import dev.rollgate.gcp.emulator.CloudRunFaults;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Cloud Run fake served in-process, and rollgate's Cloud Run adapters on Google's real client
 * over it: what the Cloud Run ITs share. Services and jobs are created through the client's own
 * CreateService / CreateJob, as infrastructure code would.
 */
final class CloudRunFakeHarness implements AutoCloseable {

  static final String PROJECT = "rollgate-test";
  static final String REGION = "europe-west1";
  static final String PARENT = "projects/" + PROJECT + "/locations/" + REGION;
  static final String PLACEHOLDER_IMAGE = "us-docker.pkg.dev/cloudrun/container/hello";

  /** Fast polls and short waits: the fake's operations are done within a few polls. */
  static final GcpSettings SETTINGS =
      GcpSettings.defaults()
          .withWaits(Duration.ofMillis(20), Duration.ofSeconds(10), Duration.ofSeconds(20));

  private final CloudRunFake fake = new CloudRunFake();
  private final Server server;
  private final ManagedChannel channel;
  final CloudRunClients clients;

  CloudRunFakeHarness() throws Exception {
    String name = "cloudrun-" + UUID.randomUUID();
    InProcessServerBuilder b = InProcessServerBuilder.forName(name);
    fake.services().forEach(b::addService);
    server = b.build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    clients =
        new CloudRunClients(
            SETTINGS, FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)));
  }

  CloudRunFaults faults() {
    return fake.faults();
  }

  /** Retries with a test clock's waits: as many attempts as production, no real waiting. */
  static GcpFaults retries(Clock clock, int attempts) {
    return new GcpFaults(clock, attempts, Duration.ofMillis(10));
  }

  CloudRunPlatform platform(Clock clock) {
    return new CloudRunPlatform(new CloudRunServices(clients), retries(clock, 3), null);
  }

  CloudRunJobRunner jobRunner(Clock clock) {
    return new CloudRunJobRunner(new CloudRunJobs(clients), retries(clock, 3), clock, SETTINGS);
  }

  static TargetSpec target(String service, String job) {
    Map<String, String> p = new HashMap<>();
    p.put("project", PROJECT);
    p.put("region", REGION);
    p.put("service", service);
    if (job != null) {
      p.put("job", job);
    }
    return new TargetSpec("cloudrun", p, "apps[0].environments.staging.target");
  }

  /** A service serving a placeholder revision (labelled so), as infra/gcp would create it. */
  void createPlaceholderService(String service) throws Exception {
    createService(
        service,
        RevisionTemplate.newBuilder()
            .putLabels(ReleaseTemplates.PLACEHOLDER_LABEL, "true")
            .addContainers(Container.newBuilder().setName("app").setImage(PLACEHOLDER_IMAGE))
            .build());
  }

  void createService(String service, RevisionTemplate template) throws Exception {
    createService(service, Service.newBuilder().setTemplate(template).build());
  }

  void createService(String service, Service definition) throws Exception {
    clients
        .services()
        .createServiceAsync(
            CreateServiceRequest.newBuilder()
                .setParent(PARENT)
                .setServiceId(service)
                .setService(definition)
                .build())
        .get(10, TimeUnit.SECONDS);
  }

  /** A migration job whose one container runs {@code command}. */
  void createJob(String job, List<String> command) throws Exception {
    clients
        .jobs()
        .createJobAsync(
            CreateJobRequest.newBuilder()
                .setParent(PARENT)
                .setJobId(job)
                .setJob(
                    Job.newBuilder()
                        .setTemplate(
                            ExecutionTemplate.newBuilder()
                                .setTaskCount(1)
                                .setTemplate(
                                    TaskTemplate.newBuilder()
                                        .setMaxRetries(0)
                                        .addContainers(
                                            Container.newBuilder()
                                                .setName("app")
                                                .setImage(PLACEHOLDER_IMAGE)
                                                .addAllCommand(command)))))
                .build())
        .get(10, TimeUnit.SECONDS);
  }

  Service service(String service) {
    return clients.services().getService(PARENT + "/services/" + service);
  }

  /** The service's revisions, oldest first. */
  List<Revision> revisions(String service) {
    List<Revision> all = new ArrayList<>();
    clients
        .revisions()
        .listRevisions(PARENT + "/services/" + service)
        .iterateAll()
        .forEach(all::add);
    java.util.Collections.reverse(all);
    return all;
  }

  /** How many executions of {@code job} ran for {@code deploymentId}. */
  int executions(String job, String deploymentId) {
    int n = 0;
    for (var e : clients.executions().listExecutions(PARENT + "/jobs/" + job).iterateAll()) {
      if (CloudRunJobRunner.label(deploymentId)
          .equals(e.getLabelsMap().get(CloudRunJobRunner.DEPLOYMENT_LABEL))) {
        n++;
      }
    }
    return n;
  }

  static String fresh(String prefix) {
    return prefix
        + "-"
        + Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000_000L, 36);
  }

  @Override
  public void close() throws Exception {
    faults().off();
    clients.close();
    channel.shutdownNow();
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
