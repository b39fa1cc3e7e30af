package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rollgate.aws.EcsApi.TaggedTaskDefinition;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.ServicePlatform.Change;
import dev.rollgate.testing.Deployments;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

class EcsPlansTest {

  private static final EcsTarget TARGET =
      new EcsTarget("prod", "shop", "app", "eu-west-1", null, "apps[0].environments.prod.target");

  private static final TaskDefinition SERVING =
      TaskDefinition.builder()
          .taskDefinitionArn("arn:aws:ecs:eu-west-1:123456789012:task-definition/shop:7")
          .family("shop")
          .revision(7)
          .status("ACTIVE")
          .cpu("512")
          .memory("1024")
          .containerDefinitions(
              ContainerDefinition.builder()
                  .name("app")
                  .image("registry.test/team/shop@" + Deployments.digest(1))
                  .command("java", "-jar", "/app.jar")
                  .environment(kv("LOG_LEVEL", "info"), kv("REGION", "eu-west-1"))
                  .build(),
              ContainerDefinition.builder().name("log-router").image("fluent-bit:3").build())
          .build();

  @Test
  void changes_shouldListTheImageOnly_whenTheReleaseIsBuiltFromTheServingRevision()
      throws Exception {
    // GIVEN the serving revision, with tags rollgate replaces
    TaggedTaskDefinition serving =
        new TaggedTaskDefinition(SERVING, Map.of("team", "shop", "rollgate:deployment", "d-1"));
    ImageRef image = new ImageRef("registry.test", "team/shop", "v2", Deployments.digest(2));

    // WHEN
    List<Change> changes = EcsPlans.changes(serving, TARGET, image);

    // THEN only the app container's image, by the container's name; described-only fields such as
    // status and revision, and the tags, are not a change
    assertEquals(
        List.of(
            new Change(
                "containerDefinitions[app].image",
                "registry.test/team/shop@" + Deployments.digest(1),
                image.pinned())),
        changes);
  }

  @Test
  void between_shouldNameEnvCommandAndSizes_whenARegistrationDiffersInThem() {
    // GIVEN a registration with another size, command and environment
    ContainerDefinition app = SERVING.containerDefinitions().get(0);
    RegisterTaskDefinitionRequest other =
        ReleaseTaskDefinitions.registration(SERVING)
            .cpu("1024")
            .containerDefinitions(
                app.toBuilder()
                    .command("java", "-Xmx512m", "-jar", "/app.jar")
                    .environment(kv("LOG_LEVEL", "debug"), kv("FEATURE_X", "on"))
                    .build(),
                SERVING.containerDefinitions().get(1))
            .build();

    // WHEN
    List<Change> changes = EcsPlans.between(SERVING, other);

    // THEN each field by its API name, env vars by name
    assertEquals(
        List.of(
            new Change(
                "containerDefinitions[app].command",
                "[\"java\",\"-jar\",\"/app.jar\"]",
                "[\"java\",\"-Xmx512m\",\"-jar\",\"/app.jar\"]"),
            new Change("containerDefinitions[app].environment[LOG_LEVEL].value", "info", "debug"),
            new Change("containerDefinitions[app].environment[REGION].value", "eu-west-1", null),
            new Change("containerDefinitions[app].environment[FEATURE_X].value", null, "on"),
            new Change("cpu", "512", "1024")),
        changes);
  }

  private static KeyValuePair kv(String name, String value) {
    return KeyValuePair.builder().name(name).value(value).build();
  }
}
