package dev.rollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rollgate.aws.EcsApi.TaggedTaskDefinition;
import dev.rollgate.core.model.ImageRef;
import dev.rollgate.core.port.PlatformException;
import dev.rollgate.testing.Deployments;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

class ReleaseTaskDefinitionsTest {

  private static final EcsTarget TARGET =
      new EcsTarget("prod", "shop", "app", "eu-west-1", null, "apps[0].environments.prod.target");
  private static final ImageRef IMAGE =
      new ImageRef("registry.test", "team/shop", "v2", Deployments.digest(2));

  @Test
  void release_shouldCarryEveryRegistrableField_whenTheSdkKnowsItOnTheTaskDefinition() {
    // GIVEN the fields RegisterTaskDefinition takes
    Set<String> requestFields =
        RegisterTaskDefinitionRequest.builder().sdkFields().stream()
            .map(SdkField::memberName)
            .collect(Collectors.toSet());
    Set<String> described =
        TaskDefinition.builder().sdkFields().stream()
            .map(SdkField::memberName)
            .collect(Collectors.toSet());

    // WHEN / THEN every one of them but tags is a field of the described task definition
    for (String field : requestFields) {
      assertTrue(
          field.equals("tags") || described.contains(field),
          "RegisterTaskDefinition field '" + field + "' would not be carried over");
    }
  }

  @Test
  void release_shouldChangeOnlyTheNamedImageAndTheTags_whenBuiltFromTheServingRevision() {
    // GIVEN a rich serving revision
    TaskDefinition serving =
        TaskDefinition.builder()
            .taskDefinitionArn("arn:aws:ecs:eu-west-1:123456789012:task-definition/shop:7")
            .family("shop")
            .revision(7)
            .taskRoleArn("arn:aws:iam::123456789012:role/shop-task")
            .executionRoleArn("arn:aws:iam::123456789012:role/shop-execution")
            .networkMode("awsvpc")
            .requiresCompatibilitiesWithStrings("FARGATE")
            .cpu("512")
            .memory("1024")
            .pidMode("task")
            .runtimePlatform(r -> r.cpuArchitecture("ARM64").operatingSystemFamily("LINUX"))
            .ephemeralStorage(e -> e.sizeInGiB(40))
            .enableFaultInjection(true)
            .containerDefinitions(
                ContainerDefinition.builder()
                    .name("app")
                    .image("registry.test/team/shop@" + Deployments.digest(1))
                    .environment(KeyValuePair.builder().name("MODE").value("prod").build())
                    .secrets(
                        Secret.builder()
                            .name("DB")
                            .valueFrom("arn:aws:ssm:eu-west-1:1:parameter/db")
                            .build())
                    .build(),
                ContainerDefinition.builder().name("envoy").image("envoy:v1.29").build())
            .build();
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("team", "payments");
    tags.put("aws:cloudformation:stack-name", "shop");
    tags.put("rollgate:deployment", "d-1");

    // WHEN
    RegisterTaskDefinitionRequest request =
        ReleaseTaskDefinitions.release(
            new TaggedTaskDefinition(serving, tags), TARGET, "d-2", IMAGE);

    // THEN
    for (SdkField<?> field : request.sdkFields()) {
      String name = field.memberName();
      if (!name.equals("tags") && !name.equals("containerDefinitions")) {
        assertEquals(
            serving.getValueForField(name, Object.class),
            request.getValueForField(name, Object.class),
            name);
      }
    }
    assertEquals(IMAGE.pinned(), request.containerDefinitions().get(0).image());
    assertEquals(
        serving.containerDefinitions().get(0).toBuilder().image(IMAGE.pinned()).build(),
        request.containerDefinitions().get(0));
    assertEquals(serving.containerDefinitions().get(1), request.containerDefinitions().get(1));
    assertEquals(
        List.of(
            Tag.builder().key("team").value("payments").build(),
            Tag.builder().key("rollgate:deployment").value("d-2").build()),
        request.tags());
    assertEquals(Optional.of("task"), request.getValueForField("pidMode", Object.class));
  }

  @Test
  void containerOf_shouldListTheContainers_whenTheNamedOneIsMissing() {
    // GIVEN
    TaskDefinition td =
        TaskDefinition.builder()
            .taskDefinitionArn("arn:td/shop:7")
            .containerDefinitions(ContainerDefinition.builder().name("web").build())
            .build();

    // WHEN
    PlatformException e =
        assertThrows(PlatformException.class, () -> ReleaseTaskDefinitions.containerOf(td, TARGET));

    // THEN
    assertTrue(e.getMessage().contains("no container 'app' (it has: web)"), e.getMessage());
    assertTrue(e.getMessage().contains(TARGET.path() + ".container"), e.getMessage());
  }

  @Test
  void startedBy_shouldFitEcsLimit_whenTheDeploymentIdIsLong() {
    // GIVEN / WHEN
    String uuid = "3f2b8c1e-9d4a-4e7b-8c6d-1a2b3c4d5e6f";
    String hashed = EcsTaskMigrationRunner.startedBy("deployment:" + "x".repeat(80));

    // THEN
    assertEquals(uuid, EcsTaskMigrationRunner.startedBy(uuid));
    assertEquals(36, hashed.length());
    assertTrue(hashed.matches("[A-Za-z0-9_/-]+"), hashed);
  }
}
