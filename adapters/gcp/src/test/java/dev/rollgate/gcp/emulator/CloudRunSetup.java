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
import com.google.cloud.run.v2.RevisionsClient;
import com.google.cloud.run.v2.RevisionsSettings;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.ServicesSettings;
import com.google.cloud.run.v2.TaskTemplate;
import com.google.cloud.run.v2.TrafficTargetStatus;
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
 *       job whose one container runs command C (a {@code job:} migration's {@code command});
 *   <li>{@code describe-service --project P --region R --service S}: what GetService says serves
 *       (as {@code gcloud run services describe} would show it).
 * </ul>
 */
public final class CloudRunSetup {

  private static final String PLACEHOLDER = "us-docker.pkg.dev/cloudrun/container/hello";

  private CloudRunSetup() {}

  static final String USAGE =
      String.join(
          "\n",
          "usage (with ROLLGATE_GCP_EMULATOR_HOST set, as 'scripts/rollgate emulate gcp' prints it):",
          "  scripts/rollgate emulate gcp create-service --project P --region R --service S"
              + " [--image I]",
          "  scripts/rollgate emulate gcp create-job --project P --region R --job J --command C"
              + " [--image I] [--env NAME=VALUE]...",
          "  scripts/rollgate emulate gcp describe-service --project P --region R --service S");

  private static final Map<String, List<String>> OPTIONS =
      Map.of(
          "create-service", List.of("project", "region", "service", "image"),
          "create-job", List.of("project", "region", "job", "command", "image", "env"),
          "describe-service", List.of("project", "region", "service"));

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
      System.err.println(USAGE);
      System.exit(args.length == 0 ? 64 : 0);
    }
    if (!OPTIONS.containsKey(args[0])) {
      fail("unknown setup command '" + args[0] + "'");
    }
    Map<String, String> options = new HashMap<>();
    Map<String, String> env = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      String name = args[i].replaceFirst("^--", "");
      if (List.of("-h", "--help").contains(args[i])) {
        System.err.println(USAGE);
        System.exit(0);
      }
      if (!args[i].startsWith("--") || !OPTIONS.get(args[0]).contains(name)) {
        fail(args[0] + ": unknown option '" + args[i] + "'");
      }
      if (i + 1 >= args.length) {
        fail(args[0] + ": " + args[i] + " needs a value");
      }
      if (name.equals("env")) {
        String[] kv = args[i + 1].split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : "");
      } else {
        options.put(name, args[i + 1]);
      }
    }
    String host = System.getenv("ROLLGATE_GCP_EMULATOR_HOST");
    if (host == null || host.isBlank()) {
      fail(
          "ROLLGATE_GCP_EMULATOR_HOST is not set: start 'scripts/rollgate emulate gcp' and run"
              + " the export lines it prints");
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
        default -> describeService(channel, parent + "/services/" + need(options, "service"));
      }
    } catch (java.util.concurrent.ExecutionException e) {
      // e.g. ALREADY_EXISTS: "Resource 'shop' already exists."
      System.err.println(args[0] + ": " + e.getCause().getMessage());
      System.exit(1);
    } catch (com.google.api.gax.rpc.ApiException e) {
      System.err.println(args[0] + ": " + e.getMessage());
      System.exit(1);
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * Prints what GetService says serves: {@code traffic_statuses} (each revision and its percent,
   * with its image, and a tag's own URL when it has one), the latest ready and created revisions,
   * and the terminal condition.
   */
  static void describeService(ManagedChannel channel, String name) throws Exception {
    try (ServicesClient services =
            ServicesClient.create(settings(channel, ServicesSettings.newBuilder()));
        RevisionsClient revisions =
            RevisionsClient.create(settings(channel, RevisionsSettings.newBuilder()))) {
      Service s = services.getService(name);
      System.out.println(
          s.getName()
              + " (generation "
              + s.getGeneration()
              + ", observed "
              + s.getObservedGeneration()
              + ")");
      for (TrafficTargetStatus t : s.getTrafficStatusesList()) {
        String image =
            revisions
                .getRevision(name + "/revisions/" + t.getRevision())
                .getContainers(0)
                .getImage();
        String tag = t.getTag().isEmpty() ? "" : " tag " + t.getTag() + " " + t.getUri();
        System.out.println(
            "  serving: " + t.getRevision() + " " + t.getPercent() + "% " + image + tag);
      }
      System.out.println("  latestReadyRevision: " + id(s.getLatestReadyRevision()));
      System.out.println("  latestCreatedRevision: " + id(s.getLatestCreatedRevision()));
      System.out.println(
          "  terminalCondition: "
              + s.getTerminalCondition().getType()
              + " "
              + s.getTerminalCondition().getState());
    }
  }

  private static String id(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  private static void fail(String message) {
    System.err.println(message);
    System.err.println(USAGE);
    System.exit(64);
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
      fail("missing --" + name);
    }
    return value;
  }
}
