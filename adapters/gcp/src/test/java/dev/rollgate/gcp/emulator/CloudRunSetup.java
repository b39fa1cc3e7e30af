package dev.rollgate.gcp.emulator;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.CreateJobRequest;
import com.google.cloud.run.v2.CreateServiceRequest;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.ExecutionTemplate;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.JobsSettings;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.ServicesSettings;
import com.google.cloud.run.v2.TaskTemplate;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Creates what rollgate deploys to on a running fake, with the API's own CreateService and
 * CreateJob through Google's client, as infra/gcp creates them on Google Cloud ({@code scripts/
 * rollgate emulate gcp create-service|create-job}, with {@code ROLLGATE_GCP_EMULATOR_HOST} set):
 *
 * <ul>
 *   <li>{@code create-service --project P --region R --service S [--image I]}: a service whose
 *       first revision is a placeholder (labelled {@code rollgate-placeholder}: it serves nothing
 *       rollgate knows, so the first release has nothing to roll back to);
 *   <li>{@code create-job --project P --region R --job J --command C [--image I] [--env N=V]}: a
 *       job whose one container runs command C (a {@code job:} migration's {@code command}).
 * </ul>
 */
public final class CloudRunSetup {

  private static final String PLACEHOLDER = "us-docker.pkg.dev/cloudrun/container/hello";

  private CloudRunSetup() {}

  public static void main(String[] args) throws Exception {
    String host = System.getenv("ROLLGATE_GCP_EMULATOR_HOST");
    if (args.length == 0 || host == null || host.isBlank()) {
      System.err.println(
          "usage (with ROLLGATE_GCP_EMULATOR_HOST set): create-service --project P --region R"
              + " --service S [--image I] | create-job --project P --region R --job J --command C"
              + " [--image I] [--env NAME=VALUE]...");
      System.exit(64);
    }
    Map<String, String> options = new HashMap<>();
    Map<String, String> env = new HashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      if (args[i].equals("--env")) {
        String[] kv = args[i + 1].split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : "");
      } else {
        options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
      }
    }
    String parent =
        "projects/%s/locations/%s".formatted(need(options, "project"), need(options, "region"));
    String image = options.getOrDefault("image", PLACEHOLDER);
    ManagedChannel channel = ManagedChannelBuilder.forTarget(host).usePlaintext().build();
    try {
      switch (args[0]) {
        case "create-service" -> {
          Service s = createService(channel, parent, need(options, "service"), image);
          System.out.println("created " + s.getName() + " (" + s.getUri() + ")");
        }
        case "create-job" -> {
          Job j =
              createJob(
                  channel,
                  parent,
                  need(options, "job"),
                  List.of(need(options, "command").split(" ")),
                  image,
                  env);
          System.out.println("created " + j.getName());
        }
        default -> {
          System.err.println("unknown setup command '" + args[0] + "': create-service, create-job");
          System.exit(64);
        }
      }
    } catch (java.util.concurrent.ExecutionException e) {
      // e.g. ALREADY_EXISTS: "Resource 'shop' already exists."
      System.err.println(args[0] + ": " + e.getCause().getMessage());
      System.exit(1);
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * CreateService of {@code parent}/services/{@code id} (a placeholder first revision of {@code
   * image}, one container named {@code app}), awaited.
   */
  public static Service createService(
      ManagedChannel channel, String parent, String id, String image) throws Exception {
    try (ServicesClient services =
        ServicesClient.create(settings(channel, ServicesSettings.newBuilder()))) {
      return services
          .createServiceAsync(
              CreateServiceRequest.newBuilder()
                  .setParent(parent)
                  .setServiceId(id)
                  .setService(
                      Service.newBuilder()
                          .setTemplate(
                              RevisionTemplate.newBuilder()
                                  .putLabels("rollgate-placeholder", "true")
                                  .addContainers(
                                      Container.newBuilder().setName("app").setImage(image))))
                  .build())
          .get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * CreateJob of {@code parent}/jobs/{@code id}: one task, no retries, one container named {@code
   * app} running {@code command} with {@code env}, awaited.
   */
  public static Job createJob(
      ManagedChannel channel,
      String parent,
      String id,
      List<String> command,
      String image,
      Map<String, String> env)
      throws Exception {
    Container.Builder c =
        Container.newBuilder().setName("app").setImage(image).addAllCommand(command);
    env.forEach((k, v) -> c.addEnv(EnvVar.newBuilder().setName(k).setValue(v)));
    try (JobsClient jobs = JobsClient.create(settings(channel, JobsSettings.newBuilder()))) {
      return jobs.createJobAsync(
              CreateJobRequest.newBuilder()
                  .setParent(parent)
                  .setJobId(id)
                  .setJob(
                      Job.newBuilder()
                          .setTemplate(
                              ExecutionTemplate.newBuilder()
                                  .setTaskCount(1)
                                  .setTemplate(
                                      TaskTemplate.newBuilder().setMaxRetries(0).addContainers(c))))
                  .build())
          .get(60, TimeUnit.SECONDS);
    }
  }

  private static <
          S extends com.google.api.gax.rpc.ClientSettings<S>,
          B extends com.google.api.gax.rpc.ClientSettings.Builder<S, B>>
      S settings(ManagedChannel channel, B builder) throws java.io.IOException {
    return builder
        .setTransportChannelProvider(
            FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
        .setCredentialsProvider(NoCredentialsProvider.create())
        .build();
  }

  private static String need(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      System.err.println("missing --" + name);
      System.exit(64);
    }
    return value;
  }
}
