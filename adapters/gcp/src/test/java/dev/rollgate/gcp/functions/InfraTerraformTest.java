package dev.rollgate.gcp.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * infra/gcp's Terraform against the code it deploys: the entry point, runtime, function names,
 * environment variables and schedules of the Cloud Functions must be {@link RollgateFunction}'s.
 */
class InfraTerraformTest {

  private static final Path INFRA = Path.of("../../infra/gcp");
  private static final Map<String, Object> RESOURCES = new HashMap<>();
  private static final Map<String, Object> LOCALS = new HashMap<>();
  private static final Map<String, Object> VARIABLES = new HashMap<>();

  @BeforeAll
  static void parse() throws Exception {
    try (Stream<Path> files = Files.list(INFRA)) {
      for (Path tf : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
        Map<String, Object> parsed = new HCLParser().parse(tf.toFile(), "UTF-8");
        merge(RESOURCES, map(parsed.get("resource")));
        LOCALS.putAll(map(parsed.get("locals")));
        VARIABLES.putAll(map(parsed.get("variable")));
      }
    }
  }

  @Test
  void cloudFunction_shouldUseTheEntryClassAndRuntime_whenParsed() {
    // GIVEN the rollgate Cloud Function resource
    Map<String, Object> build =
        map(resource("google_cloudfunctions2_function", "rollgate").get("build_config"));

    // WHEN its entry point and runtime are read, THEN they are the code's
    assertEquals(RollgateFunction.ENTRY_POINT, build.get("entry_point"));
    assertEquals(RollgateFunction.RUNTIME, build.get("runtime"));
    assertEquals(RollgateFunction.ENTRY_POINT, RollgateFunction.class.getName());
  }

  @Test
  void cloudFunction_shouldSetEveryVariableTheEntryReads_whenParsed() {
    // GIVEN the function's environment
    Map<String, Object> variables =
        map(
            map(resource("google_cloudfunctions2_function", "rollgate").get("service_config"))
                .get("environment_variables"));

    // WHEN compared with the entry class, THEN every variable it needs is set, the function
    // chosen by each function's key (its name in the code)
    assertTrue(
        variables.keySet().containsAll(RollgateFunction.ENVIRONMENT),
        variables.keySet() + " lacks some of " + RollgateFunction.ENVIRONMENT);
    assertEquals(
        "each.key", String.valueOf(variables.get(RollgateFunction.ENV_FUNCTION_DEFINITION)));
    assertTrue(
        String.valueOf(variables.get(RollgateFunction.ENV_LEDGER_URL)).startsWith("gcp-sm:"));
  }

  @Test
  void functions_shouldBeExactlyTheCodesFunctions_whenParsed() {
    // GIVEN the functions the Terraform creates (one Cloud Function each)
    Map<String, Object> functions = map(LOCALS.get("functions"));

    // WHEN compared with the code's, THEN they are the same; only imagePushed is event-triggered;
    // the Cloud Functions names are valid (lower case, at most 63 characters with the prefix)
    assertEquals(new LinkedHashSet<>(RollgateFunction.FUNCTIONS), functions.keySet());
    for (String name : RollgateFunction.FUNCTIONS) {
      Map<String, Object> f = map(functions.get(name));
      assertEquals(name.equals("imagePushed") ? "event" : "http", f.get("trigger"), name);
      String id = String.valueOf(f.get("id"));
      assertTrue(id.matches("[a-z][-a-z0-9]{0,40}[a-z0-9]"), name + ": id " + id);
      assertTrue(Set.of("deployer", "reader", "backup").contains(f.get("role")), name);
    }
  }

  @Test
  void eventTrigger_shouldDeliverTheGcrTopicWithRetries_whenParsed() throws IOException {
    // GIVEN the functions' Terraform (the trigger is a dynamic block: read its source)
    String source = Files.readString(INFRA.resolve("functions.tf"));

    // WHEN the trigger is looked up, THEN Eventarc's messagePublished on gcr, retried
    assertTrue(
        source.contains(
            "event_type            = \"google.cloud.pubsub.topic.v1.messagePublished\""));
    assertTrue(source.contains("gcr_topic = \"projects/${var.project}/topics/gcr\""));
    assertTrue(source.contains("retry_policy          = \"RETRY_POLICY_RETRY\""));
  }

  @Test
  void schedules_shouldCallTheScheduledFunctionsWithCron_whenParsed() {
    // GIVEN the Cloud Scheduler jobs
    Map<String, Object> schedules = map(LOCALS.get("schedules"));

    // WHEN compared with the code, THEN reconcile, backup and verifyBackup, each a 5-field cron
    assertEquals(Set.of("reconcile", "backup", "verifyBackup"), schedules.keySet());
    assertTrue(RollgateFunction.FUNCTIONS.containsAll(schedules.keySet()));
    for (String v : List.of("reconcile_schedule", "backup_schedule", "verify_backup_schedule")) {
      String cron = String.valueOf(map(VARIABLES.get(v)).get("default"));
      assertEquals(5, cron.trim().split("\\s+").length, v + ": " + cron);
    }
    Map<String, Object> job = resource("google_cloud_scheduler_job", "rollgate");
    assertEquals("POST", map(job.get("http_target")).get("http_method"));
    assertEquals("Etc/UTC", job.get("time_zone"));
  }

  @Test
  void permissions_shouldBeScopedToTheNamedResources_whenParsed() throws IOException {
    // GIVEN the service accounts' bindings (read from source: for_each is not evaluated)
    String iam = Files.readString(INFRA.resolve("iam.tf"));

    // WHEN the changing roles are looked up, THEN each is bound on named resources only
    assertTrue(iam.contains("for s in var.cloud_run_services"), "run.developer on services");
    assertTrue(iam.contains("for j in var.cloud_run_jobs"), "run.developer on jobs");
    assertTrue(iam.contains("toset(var.runtime_service_accounts)"), "actAs scope");
    assertTrue(iam.contains("setproduct(local.function_roles, var.secret_ids)"), "secrets scope");
    assertTrue(iam.contains("bucket = var.backup_bucket"), "backup bucket scope");
    for (String broad : List.of("roles/run.admin", "roles/editor", "roles/owner", "allUsers")) {
      assertFalse(iam.contains(broad), broad);
    }
    Map<String, Object> developer = resource("google_cloud_run_v2_service_iam_member", "deployer");
    assertEquals("roles/run.developer", developer.get("role"));
    Map<String, Object> actAs = resource("google_service_account_iam_member", "act_as");
    assertEquals("roles/iam.serviceAccountUser", actAs.get("role"));
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
    if (o instanceof List<?> list && !list.isEmpty()) {
      o = list.get(0);
    }
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @Test
  void example_shouldHoldAValidManifest_whenLoaded() {
    // GIVEN / WHEN the example's rollgate.yaml is loaded
    Manifest manifest = ManifestLoader.load(INFRA.resolve("examples/basic/rollgate.yaml"));

    // THEN it is valid: its environments deploy to Cloud Run with a job migration
    assertEquals("shop", manifest.apps().get(0).name());
  }
}
