package dev.rollgate.aws;

import dev.rollgate.core.port.PlatformException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * The ECS calls rollgate makes, each translated into a {@link PlatformException} that names the
 * cluster and service and the fix. Reads are retried by the SDK; writes are made once.
 */
final class EcsApi {

  private static final String CHECK_TARGET =
      "check target.cluster, target.service and target.region in the manifest, or create the"
          + " service first (infra/aws)";

  /** A task definition and its tags. */
  record TaggedTaskDefinition(TaskDefinition definition, Map<String, String> tags) {
    String arn() {
      return definition.taskDefinitionArn();
    }
  }

  private final AwsClients clients;

  EcsApi(AwsClients clients) {
    this.clients = clients;
  }

  /** The service, which must exist and be ACTIVE. */
  Service service(EcsTarget t) throws PlatformException {
    DescribeServicesResponse r =
        call(
            "DescribeServices",
            "DescribeServices of " + t.describe(),
            () ->
                clients
                    .ecs(t.region())
                    .describeServices(b -> b.cluster(t.cluster()).services(t.service())));
    Optional<Service> found =
        r.services().stream().filter(s -> !"INACTIVE".equals(s.status())).findFirst();
    if (found.isEmpty()) {
      String reason =
          r.failures().isEmpty() ? "INACTIVE" : r.failures().get(0).reason(); // e.g. MISSING
      throw new PlatformException(
          "aws: %s: %s; %s".formatted(t.describe(), reason, CHECK_TARGET), false);
    }
    return found.get();
  }

  TaggedTaskDefinition taskDefinition(EcsTarget t, String arn) throws PlatformException {
    DescribeTaskDefinitionResponse r =
        call(
            "DescribeTaskDefinition",
            "DescribeTaskDefinition of " + arn + " for " + t.describe(),
            () ->
                clients
                    .ecs(t.region())
                    .describeTaskDefinition(
                        b -> b.taskDefinition(arn).include(TaskDefinitionField.TAGS)));
    Map<String, String> tags = new LinkedHashMap<>();
    r.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
    return new TaggedTaskDefinition(r.taskDefinition(), tags);
  }

  /** The family's newest ACTIVE revisions, newest first, at most {@code max}. */
  List<String> newestRevisions(EcsTarget t, String family, int max) throws PlatformException {
    List<String> arns =
        new ArrayList<>(
            call(
                    "ListTaskDefinitions",
                    "ListTaskDefinitions of family '" + family + "'",
                    () ->
                        clients
                            .ecs(t.region())
                            .listTaskDefinitions(
                                b ->
                                    b.familyPrefix(family)
                                        .status("ACTIVE")
                                        .sort(SortOrder.DESC)
                                        .maxResults(max)))
                .taskDefinitionArns());
    // Sorted here as well: the order is the contract, whatever the endpoint did with 'sort'.
    arns.sort(Comparator.comparingInt(EcsApi::revisionNumber).reversed());
    return arns.subList(0, Math.min(max, arns.size()));
  }

  TaggedTaskDefinition register(EcsTarget t, RegisterTaskDefinitionRequest request)
      throws PlatformException {
    var r =
        call(
            "RegisterTaskDefinition",
            "RegisterTaskDefinition of family '" + request.family() + "' for " + t.describe(),
            () -> clients.ecsOnce(t.region()).registerTaskDefinition(request));
    Map<String, String> tags = new LinkedHashMap<>();
    for (Tag tag : r.tags()) {
      tags.put(tag.key(), tag.value());
    }
    return new TaggedTaskDefinition(r.taskDefinition(), tags);
  }

  void updateService(EcsTarget t, String taskDefinition) throws PlatformException {
    call(
        "UpdateService",
        "UpdateService of " + t.describe() + " to " + taskDefinition,
        () ->
            clients
                .ecsOnce(t.region())
                .updateService(
                    b ->
                        b.cluster(t.cluster())
                            .service(t.service())
                            .taskDefinition(taskDefinition)
                            .forceNewDeployment(false)));
  }

  RunTaskResponse runTask(EcsTarget t, RunTaskRequest request) throws PlatformException {
    return call(
        "RunTask",
        "RunTask of " + request.taskDefinition() + " in cluster '" + t.cluster() + "'",
        () -> clients.ecsOnce(t.region()).runTask(request));
  }

  /** The task, or empty when ECS no longer knows it. */
  Optional<Task> task(EcsTarget t, String taskArn) throws PlatformException {
    DescribeTasksResponse r =
        call(
            "DescribeTasks",
            "DescribeTasks of " + taskArn + " in cluster '" + t.cluster() + "'",
            () ->
                clients.ecs(t.region()).describeTasks(b -> b.cluster(t.cluster()).tasks(taskArn)));
    return r.tasks().stream().findFirst();
  }

  /** Asks ECS to stop the task, saying why ({@code reason}, at most 255 characters). */
  void stopTask(EcsTarget t, String taskArn, String reason) throws PlatformException {
    call(
        "StopTask",
        "StopTask of " + taskArn + " in cluster '" + t.cluster() + "'",
        () ->
            clients
                .ecs(t.region())
                .stopTask(
                    b ->
                        b.cluster(t.cluster())
                            .task(taskArn)
                            .reason(reason.length() > 255 ? reason.substring(0, 255) : reason)));
  }

  /** Tasks started with {@code startedBy}, running ones first, then recently stopped ones. */
  List<String> tasksStartedBy(EcsTarget t, String startedBy) throws PlatformException {
    List<String> arns = new ArrayList<>();
    for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
      arns.addAll(
          call(
                  "ListTasks",
                  "ListTasks started by '" + startedBy + "' in cluster '" + t.cluster() + "'",
                  () ->
                      clients
                          .ecs(t.region())
                          .listTasks(
                              b ->
                                  b.cluster(t.cluster())
                                      .startedBy(startedBy)
                                      .desiredStatus(status)))
              .taskArns());
    }
    return arns.stream().distinct().toList();
  }

  /** The revision number at the end of a task definition ARN ({@code ...:family:12}). */
  static int revisionNumber(String arn) {
    try {
      return Integer.parseInt(arn.substring(arn.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static <T> T call(String operation, String what, Supplier<T> call)
      throws PlatformException {
    try {
      return call.get();
    } catch (SdkException e) {
      throw AwsFaults.translate(e, "ecs:" + operation, what, CHECK_TARGET);
    }
  }
}
