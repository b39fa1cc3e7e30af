package dev.rollgate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ECS's deployment controller as far as DescribeServices shows it, which moto lacks: when a
 * service's task definition changes, a new PRIMARY deployment is IN_PROGRESS (the old one ACTIVE)
 * for a number of DescribeServices answers, then COMPLETED alone.
 */
final class SimulatedDeployments {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int inProgressDescribes;
  private final Map<String, Rollout> rollouts = new ConcurrentHashMap<>();

  SimulatedDeployments(int inProgressDescribes) {
    this.inProgressDescribes = inProgressDescribes;
  }

  /** Replaces each service's {@code deployments} in a DescribeServices answer. */
  byte[] rewrite(byte[] body) throws IOException {
    JsonNode root = JSON.readTree(body);
    for (JsonNode node : root.path("services")) {
      ObjectNode service = (ObjectNode) node;
      String taskDefinition = service.path("taskDefinition").asText();
      int desired = service.path("desiredCount").asInt(1);
      Rollout r =
          rollouts.compute(
              service.path("serviceArn").asText(),
              (k, old) -> old == null ? new Rollout(taskDefinition) : old.seen(taskDefinition));
      boolean inProgress = r.describesSinceChange <= inProgressDescribes && r.previous != null;
      ArrayNode deployments = service.putArray("deployments");
      deployments.add(
          deployment(
              r.id, "PRIMARY", taskDefinition, desired, inProgress ? 0 : desired, inProgress));
      if (inProgress) {
        deployments.add(deployment(r.id - 1, "ACTIVE", r.previous, desired, desired, false));
      }
    }
    return JSON.writeValueAsBytes(root);
  }

  private static ObjectNode deployment(
      int n, String status, String taskDefinition, int desired, int running, boolean inProgress) {
    String id = "ecs-svc/" + (4_000_000_000L + n);
    ObjectNode d = JSON.createObjectNode();
    d.put("id", id)
        .put("status", status)
        .put("taskDefinition", taskDefinition)
        .put("desiredCount", desired)
        .put("runningCount", running)
        .put("pendingCount", desired - running)
        .put("failedTasks", 0)
        .put("launchType", "FARGATE")
        .put("rolloutState", inProgress ? "IN_PROGRESS" : "COMPLETED")
        .put(
            "rolloutStateReason",
            "ECS deployment " + id + (inProgress ? " in progress." : " completed."));
    return d;
  }

  /** What the simulated deployment controller knows of one service. */
  private static final class Rollout {
    final String taskDefinition;
    final String previous;
    final int id;
    final int describesSinceChange;

    Rollout(String taskDefinition) {
      this(taskDefinition, null, 1, 0);
    }

    private Rollout(String taskDefinition, String previous, int id, int describes) {
      this.taskDefinition = taskDefinition;
      this.previous = previous;
      this.id = id;
      this.describesSinceChange = describes;
    }

    Rollout seen(String now) {
      return now.equals(taskDefinition)
          ? new Rollout(taskDefinition, previous, id, describesSinceChange + 1)
          : new Rollout(now, taskDefinition, id + 1, 1);
    }
  }
}
