package dev.rollgate.aws.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * infra/aws's Terraform against the code it deploys: the handler, runtime, function names and
 * environment variables of the Lambda functions must be {@link RollgateLambda}'s constants.
 */
class InfraTerraformTest {

  private static final Path INFRA = Path.of("../../infra/aws");
  private static final Map<String, Object> RESOURCES = new HashMap<>();
  private static final Map<String, Object> LOCALS = new HashMap<>();

  @BeforeAll
  static void parse() throws Exception {
    try (Stream<Path> files = Files.list(INFRA)) {
      for (Path tf : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
        Map<String, Object> parsed = new HCLParser().parse(tf.toFile(), "UTF-8");
        merge(RESOURCES, map(parsed.get("resource")));
        LOCALS.putAll(map(parsed.get("locals")));
      }
    }
  }

  @Test
  void lambdaFunction_shouldUseTheEntryClassHandlerAndRuntime_whenParsed() {
    // GIVEN the rollgate Lambda function resource
    Map<String, Object> function = resource("aws_lambda_function", "rollgate");

    // WHEN its handler and runtime are read, THEN they are the code's
    assertEquals(RollgateHandler.HANDLER, function.get("handler"));
    assertTrue(
        RollgateLambda.RUNTIMES.contains(String.valueOf(function.get("runtime"))),
        "runtime " + function.get("runtime") + " not in " + RollgateLambda.RUNTIMES);
    assertEquals("PublishedVersions", map(function.get("snap_start")).get("apply_on"));
  }

  @Test
  void lambdaFunction_shouldSetEveryVariableTheEntryReads_whenParsed() {
    // GIVEN the function's environment
    Map<String, Object> variables =
        map(map(resource("aws_lambda_function", "rollgate").get("environment")).get("variables"));

    // WHEN compared with the entry class, THEN every variable it needs is set
    assertTrue(
        variables.keySet().containsAll(RollgateLambda.ENVIRONMENT),
        variables.keySet() + " lacks some of " + RollgateLambda.ENVIRONMENT);
    assertEquals("each.key", String.valueOf(variables.get(RollgateLambda.ENV_FUNCTION_DEFINITION)));
  }

  @Test
  void functions_shouldBeExactlyTheCodesFunctions_whenParsed() {
    // GIVEN the functions the Terraform creates (one Lambda each)
    Set<String> names = new LinkedHashSet<>(map(LOCALS.get("functions")).keySet());

    // WHEN compared with the code's, THEN they are the same, and each trigger names one of them
    assertEquals(new LinkedHashSet<>(RollgateLambda.FUNCTIONS), names);
    assertTrue(names.containsAll(map(LOCALS.get("schedules")).keySet()));
    for (String url : new String[] {"webhook", "promote", "abort", "plan", "status"}) {
      assertTrue(
          String.valueOf(resource("aws_lambda_function_url", url).get("function_name"))
              .contains("rollgate"),
          url);
    }
    assertEquals(RollgateLambda.MAIN_CLASS, RollgateLambda.class.getName());
  }

  @Test
  void ecsPermissions_shouldBeScopedToTheManifestsResources_whenParsed() throws IOException {
    // GIVEN the functions' IAM policy (jsonencode is not evaluated: read its source)
    String iam = Files.readString(INFRA.resolve("iam.tf"));

    // WHEN the changing actions are looked up, THEN each is scoped to variables, not "*"
    assertTrue(iam.contains("Resource = var.ecs_service_arns"), "UpdateService scope");
    assertTrue(iam.contains("Resource  = var.task_role_arns"), "PassRole scope");
    assertTrue(iam.contains("\"iam:PassedToService\" = \"ecs-tasks.amazonaws.com\""));
    assertTrue(iam.contains("Resource  = local.task_definition_arns"), "RunTask scope");
  }

  private static Map<String, Object> resource(String type, String name) {
    return map(map(RESOURCES.get(type)).get(name));
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> into, Map<String, Object> from) {
    from.forEach(
        (type, byName) ->
            ((Map<String, Object>) into.computeIfAbsent(type, k -> new HashMap<String, Object>()))
                .putAll(map(byName)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    if (o instanceof java.util.List<?> list && !list.isEmpty()) {
      o = list.get(0);
    }
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
