package dev.rollgate.gcp.emulator;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.Revision;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.TrafficTarget;
import com.google.cloud.run.v2.TrafficTargetAllocationType;
import com.google.cloud.run.v2.TrafficTargetStatus;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What Cloud Run does with a service's template and traffic, after the Admin API v2 protos
 * (google/cloud/run/v2/service.proto, revision.proto, condition.proto, traffic_target.proto in
 * proto-google-cloud-run-v2 0.88.0) and the behaviour Google documents and people recorded:
 *
 * <ul>
 *   <li>a template that changed makes a revision, named {@code template.revision} or {@code
 *       <service>-<5 digits>-<3 letters>} (e.g. {@code x-00509-jsp} in the recorded failure); a
 *       name already used by a different template is refused with ALREADY_EXISTS ("Revision named
 *       'x' with different configuration already exists.");
 *   <li>an update that sets no traffic keeps the traffic as it was: traffic pinned to a revision
 *       stays pinned and a new revision gets 0% ("Lifecycle of traffic splits" in Cloud Run's docs:
 *       the trap rollgate avoids);
 *   <li>when the operation ends well, {@code traffic_statuses} equals {@code traffic}, {@code
 *       observed_generation} equals {@code generation} and the latest ready revision is the latest
 *       created; when a revision never becomes healthy (an image digest starting {@code
 *       sha256:bad}), the operation ends with code 9 and a message like the recorded one (see
 *       /work/shared/RECIPES.md "Cloud Run v2 facts"), the revision's conditions carry {@code
 *       revisionReason: HEALTH_CHECK_CONTAINER_ERROR}, and {@code traffic_statuses}, {@code
 *       observed_generation} and {@code latest_ready_revision} stay on the last serving revision;
 *   <li>traffic targets may carry a {@code tag} (traffic_target.proto: "Indicates a string to be
 *       part of the URI to exclusively reference this target"), also on a 0% target (the
 *       "--no-traffic --tag" pattern of Cloud Run's "Rollbacks, gradual rollouts, and traffic
 *       migration" page and its sample {@code cloudrun-service-add-tag}); a tag is a DNS label used
 *       by one target only; once the operation ends, the tagged target's status carries its own
 *       {@code uri}, {@code https://<tag>---<host of the service's uri>} (the tag URL format that
 *       page gives), while untagged statuses carry none.
 * </ul>
 */
final class ServiceRollouts {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

  private final CloudRunStore store;

  ServiceRollouts(CloudRunStore store) {
    this.store = store;
  }

  /**
   * The revision {@code template} makes for {@code service} at {@code generation}, or null when it
   * makes none (the template did not change, or names a revision this very template made).
   */
  String createRevision(String serviceName, Service current, RevisionTemplate template, long gen) {
    String service = CloudRunStore.id(serviceName);
    String name = template.getRevision();
    if (!name.isEmpty()) {
      if (!DNS_LABEL.matcher(name).matches() || !name.startsWith(service + "-")) {
        throw FakeCalls.invalid(
            "template.revision: '%s' must start with the service name followed by '-' ('%s-'),"
                    .formatted(name, service)
                + " use lower-case letters, digits and '-', and be at most 63 characters");
      }
      RevisionTemplate made = store.revisionTemplates.get(serviceName + "/revisions/" + name);
      if (made != null) {
        if (made.equals(template)) {
          return null;
        }
        throw Status.ALREADY_EXISTS
            .withDescription(
                "Revision named '" + name + "' with different configuration already exists.")
            .asRuntimeException();
      }
    } else {
      if (current != null && current.getTemplate().equals(template)) {
        return null;
      }
      name = "%s-%05d-%s".formatted(service, gen, CloudRunStore.letters(3));
    }
    String full = serviceName + "/revisions/" + name;
    store.revisionTemplates.put(full, template);
    store.revisions.put(full, revision(full, serviceName, template));
    return full;
  }

  private Revision revision(String name, String serviceName, RevisionTemplate t) {
    return Revision.newBuilder()
        .setName(name)
        .setUid(UUID.randomUUID().toString())
        .setGeneration(1)
        .putAllLabels(t.getLabelsMap())
        .putAllAnnotations(t.getAnnotationsMap())
        .setCreateTime(store.timestamp())
        .setUpdateTime(store.timestamp())
        .setService(serviceName)
        .setScaling(t.getScaling())
        .setVpcAccess(t.getVpcAccess())
        .setTimeout(t.getTimeout())
        .setServiceAccount(t.getServiceAccount())
        .addAllContainers(t.getContainersList())
        .addAllVolumes(t.getVolumesList())
        .setExecutionEnvironment(t.getExecutionEnvironment())
        .setEncryptionKey(t.getEncryptionKey())
        .setSessionAffinity(t.getSessionAffinity())
        .setMaxInstanceRequestConcurrency(t.getMaxInstanceRequestConcurrency())
        .setReconciling(true)
        .addConditions(condition("Ready", Condition.State.CONDITION_RECONCILING, ""))
        .setLogUri(logUri(name))
        .setEtag(store.etag())
        .build();
  }

  /** The traffic a request asks for: the current one when it sets none (the trap). */
  static List<TrafficTarget> traffic(Service request, Service current) {
    if (request.getTrafficCount() > 0) {
      return request.getTrafficList();
    }
    if (current != null && current.getTrafficCount() > 0) {
      return current.getTrafficList();
    }
    return List.of(
        TrafficTarget.newBuilder()
            .setType(TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST)
            .setPercent(100)
            .build());
  }

  /**
   * Refuses traffic that does not add up to 100%, names a revision that does not exist, or tags
   * badly (not a DNS label, or one tag on two targets); the wording of the tag refusals is the
   * fake's own.
   */
  void checkTraffic(String serviceName, List<TrafficTarget> traffic, String created) {
    int sum = 0;
    Set<String> tags = new HashSet<>();
    for (TrafficTarget t : traffic) {
      if (t.getPercent() < 0 || t.getPercent() > 100) {
        throw FakeCalls.invalid(
            "spec.traffic: percent must be between 0 and 100, got " + t.getPercent());
      }
      sum += t.getPercent();
      if (!t.getTag().isEmpty()) {
        if (!DNS_LABEL.matcher(t.getTag()).matches()) {
          throw FakeCalls.invalid(
              "spec.traffic: tag '%s' must be a DNS label: lower-case letters, digits and '-'"
                  .formatted(t.getTag()));
        }
        if (!tags.add(t.getTag())) {
          throw FakeCalls.invalid(
              "spec.traffic: tag '%s' is used by more than one traffic target"
                  .formatted(t.getTag()));
        }
      }
      if (t.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION) {
        String full = serviceName + "/revisions/" + t.getRevision();
        if (!store.revisions.containsKey(full) && !full.equals(created)) {
          throw FakeCalls.invalid(
              "spec.traffic: Revision '" + t.getRevision() + "' referenced in traffic not found.");
        }
      }
    }
    if (sum != 100) {
      throw FakeCalls.invalid("spec.traffic: percentages must add up to 100, got " + sum);
    }
  }

  /** Ends a service's operation for {@code generation}: the revision starts, or never does. */
  Operation finish(String opName, String serviceName, long generation, String created) {
    Service s = store.services.get(serviceName);
    String failed = null;
    if (created != null) {
      boolean healthy = healthy(store.revisions.get(created));
      store.revisions.put(created, settled(store.revisions.get(created), healthy));
      failed = healthy ? null : created;
    }
    for (TrafficTarget t : s.getTrafficList()) {
      String target =
          t.getType() == TrafficTargetAllocationType.TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST
              ? s.getLatestCreatedRevision()
              : serviceName + "/revisions/" + t.getRevision();
      Revision r = store.revisions.get(target);
      if (failed == null && r != null && !ready(r)) {
        failed = target;
      }
    }
    Operation.Builder op = Operation.newBuilder().setName(opName).setDone(true);
    Service.Builder b = s.toBuilder().setReconciling(false).clearConditions();
    if (failed != null) {
      String message = notReady(store.revisions.get(failed));
      b.setTerminalCondition(
              condition("Ready", Condition.State.CONDITION_FAILED, message).toBuilder()
                  .setReason(Condition.CommonReason.REVISION_FAILED))
          .addConditions(
              condition("ConfigurationsReady", Condition.State.CONDITION_FAILED, message))
          .addConditions(condition("RoutesReady", Condition.State.CONDITION_SUCCEEDED, ""));
      s = b.build();
      op.setError(
              com.google.rpc.Status.newBuilder()
                  .setCode(Status.Code.FAILED_PRECONDITION.value())
                  .setMessage(message))
          .setMetadata(Any.pack(s));
    } else {
      if (s.getGeneration() == generation) {
        b.clearTrafficStatuses().setObservedGeneration(generation);
        for (TrafficTarget t : s.getTrafficList()) {
          b.addTrafficStatuses(
              TrafficTargetStatus.newBuilder()
                  .setType(t.getType())
                  .setRevision(t.getRevision())
                  .setPercent(t.getPercent())
                  .setTag(t.getTag())
                  .setUri(t.getTag().isEmpty() ? "" : tagUri(s.getUri(), t.getTag())));
        }
      }
      if (ready(store.revisions.get(s.getLatestCreatedRevision()))) {
        b.setLatestReadyRevision(s.getLatestCreatedRevision());
      }
      b.setTerminalCondition(condition("Ready", Condition.State.CONDITION_SUCCEEDED, ""))
          .addConditions(condition("ConfigurationsReady", Condition.State.CONDITION_SUCCEEDED, ""))
          .addConditions(condition("RoutesReady", Condition.State.CONDITION_SUCCEEDED, ""));
      s = b.build();
      op.setResponse(Any.pack(s)).setMetadata(Any.pack(s));
    }
    store.services.put(serviceName, s);
    return op.build();
  }

  private Revision settled(Revision r, boolean healthy) {
    Revision.Builder b =
        r.toBuilder().setReconciling(false).setObservedGeneration(1).clearConditions();
    if (healthy) {
      b.addConditions(condition("Ready", Condition.State.CONDITION_SUCCEEDED, ""))
          .addConditions(condition("ContainerHealthy", Condition.State.CONDITION_SUCCEEDED, ""))
          .addConditions(condition("ResourcesAvailable", Condition.State.CONDITION_SUCCEEDED, ""));
    } else {
      String message = containerMessage(r);
      b.addConditions(
              condition("Ready", Condition.State.CONDITION_FAILED, message).toBuilder()
                  .setRevisionReason(Condition.RevisionReason.HEALTH_CHECK_CONTAINER_ERROR))
          .addConditions(
              condition("ContainerHealthy", Condition.State.CONDITION_FAILED, message).toBuilder()
                  .setRevisionReason(Condition.RevisionReason.HEALTH_CHECK_CONTAINER_ERROR))
          .addConditions(condition("ResourcesAvailable", Condition.State.CONDITION_SUCCEEDED, ""));
    }
    return b.build();
  }

  /** A revision whose conditions say Ready. */
  static boolean ready(Revision r) {
    return r != null
        && r.getConditionsList().stream()
            .anyMatch(
                c ->
                    c.getType().equals("Ready")
                        && c.getState() == Condition.State.CONDITION_SUCCEEDED);
  }

  /**
   * False when a container's image digest starts {@code sha256:bad} (not {@code badjob} nor {@code
   * bad10b}: those images serve well, their jobs fail, see {@link JobRuns}).
   */
  static boolean healthy(Revision r) {
    for (Container c : r.getContainersList()) {
      if (c.getImage().contains("@sha256:bad") && !JobRuns.failingJob(c.getImage())) {
        return false;
      }
    }
    return true;
  }

  /** The recorded failure's words (RECIPES.md "Cloud Run v2 facts"), for this revision. */
  private static String notReady(Revision r) {
    return "Revision '%s' is not ready and cannot serve traffic. %s"
        .formatted(CloudRunStore.id(r.getName()), containerMessage(r));
  }

  private static String containerMessage(Revision r) {
    int port =
        r.getContainersList().stream()
            .filter(c -> c.getPortsCount() > 0)
            .map(c -> c.getPorts(0).getContainerPort())
            .findFirst()
            .orElse(8080);
    return ("The user-provided container failed to start and listen on the port defined provided by"
            + " the PORT=%d environment variable within the allocated timeout. This can happen when"
            + " the container port is misconfigured or if the timeout is too short. The health check"
            + " timeout can be extended. Logs for this revision might contain more information.\n\n"
            + "Logs URL: %s\nFor more troubleshooting guidance, see"
            + " https://cloud.google.com/run/docs/troubleshooting#container-failed-to-start")
        .formatted(port, r.getLogUri());
  }

  /** A tag's URL: {@code https://<tag>---<host>} for a service at {@code https://<host>}. */
  static String tagUri(String serviceUri, String tag) {
    return serviceUri.replaceFirst("^https://", "https://" + tag + "---");
  }

  static String logUri(String revisionName) {
    String[] p = revisionName.split("/");
    return "https://console.cloud.google.com/logs/viewer?project=%s&resource=cloud_run_revision/service_name/%s/revision_name/%s"
        .formatted(p[1], p[5], p[7]);
  }

  Condition condition(String type, Condition.State state, String message) {
    return Condition.newBuilder()
        .setType(type)
        .setState(state)
        .setMessage(message)
        .setLastTransitionTime(store.timestamp())
        .setSeverity(
            state == Condition.State.CONDITION_FAILED
                ? Condition.Severity.ERROR
                : Condition.Severity.SEVERITY_UNSPECIFIED)
        .build();
  }

  /** Names of revisions of {@code serviceName}, oldest first. */
  List<String> revisionsOf(String serviceName) {
    List<String> names = new ArrayList<>();
    for (String name : store.revisions.keySet()) {
      if (name.startsWith(serviceName + "/revisions/")) {
        names.add(name);
      }
    }
    return names;
  }
}
