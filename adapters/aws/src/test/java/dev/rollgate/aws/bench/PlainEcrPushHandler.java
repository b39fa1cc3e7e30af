package dev.rollgate.aws.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * The baseline of {@code scripts/bench cold-start}: a hand-written Lambda handler that deploys an
 * ECR push to one ECS service with the same 8 ECS calls rollgate makes for it (what serves:
 * DescribeServices and DescribeTaskDefinition; the rollout: DescribeServices,
 * DescribeTaskDefinition, ListTaskDefinitions, RegisterTaskDefinition, UpdateService; then
 * DescribeServices until the rollout COMPLETED) and one health GET, without a ledger, a manifest or
 * Spring. Target from {@code PLAIN_CLUSTER}, {@code PLAIN_SERVICE}, {@code PLAIN_CONTAINER}, {@code
 * PLAIN_HEALTH_URL}.
 */
public final class PlainEcrPushHandler implements RequestStreamHandler {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonNode detail = JSON.readTree(input).path("detail");
    String image = System.getenv("PLAIN_IMAGE") + "@" + detail.path("image-digest").asText();
    String cluster = System.getenv("PLAIN_CLUSTER");
    String service = System.getenv("PLAIN_SERVICE");
    String container = System.getenv("PLAIN_CONTAINER");
    try (EcsClient ecs =
        EcsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      // What serves before the release (rollgate records it to roll back to).
      Service before =
          ecs.describeServices(b -> b.cluster(cluster).services(service)).services().get(0);
      ecs.describeTaskDefinition(
          b -> b.taskDefinition(before.taskDefinition()).include(TaskDefinitionField.TAGS));
      // The rollout: read again, look for an earlier registration, register, update.
      Service current =
          ecs.describeServices(b -> b.cluster(cluster).services(service)).services().get(0);
      TaskDefinition td =
          ecs.describeTaskDefinition(
                  b -> b.taskDefinition(current.taskDefinition()).include(TaskDefinitionField.TAGS))
              .taskDefinition();
      ecs.listTaskDefinitions(
          b -> b.familyPrefix(td.family()).status("ACTIVE").sort(SortOrder.DESC).maxResults(10));
      String revision =
          ecs.registerTaskDefinition(
                  b ->
                      b.family(td.family())
                          .containerDefinitions(
                              td.containerDefinitions().stream()
                                  .map(
                                      c ->
                                          c.name().equals(container)
                                              ? c.toBuilder().image(image).build()
                                              : c)
                                  .toArray(ContainerDefinition[]::new))
                          .tags(Tag.builder().key("deployed-by").value("plain").build()))
              .taskDefinition()
              .taskDefinitionArn();
      ecs.updateService(b -> b.cluster(cluster).service(service).taskDefinition(revision));
      boolean done = false;
      for (int i = 0; i < 100 && !done; i++) {
        Service s =
            ecs.describeServices(b -> b.cluster(cluster).services(service)).services().get(0);
        done =
            s.deployments().stream()
                .anyMatch(
                    d ->
                        "PRIMARY".equals(d.status())
                            && revision.equals(d.taskDefinition())
                            && d.rolloutState() == DeploymentRolloutState.COMPLETED);
      }
      HttpURLConnection health =
          (HttpURLConnection)
              URI.create(System.getenv("PLAIN_HEALTH_URL")).toURL().openConnection();
      int status = health.getResponseCode();
      health.getInputStream().readAllBytes();
      output.write(
          ("{\"revision\":\""
                  + revision
                  + "\",\"rolledOut\":"
                  + done
                  + ",\"health\":"
                  + status
                  + "}")
              .getBytes(StandardCharsets.UTF_8));
    }
  }
}
