package dev.rollgate.azure.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import dev.rollgate.core.manifest.Manifest;
import dev.rollgate.core.manifest.ManifestLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * infra/azure's Terraform against the code it deploys: the Function Apps' function names, runtime,
 * app settings and schedules, and the Event Grid subscription, must be {@link
 * RollgateAzureFunctions}'s.
 */
class AzureInfraTerraformTest {

  private static final Path INFRA = Path.of("../../infra/azure");
  private static final Map<String, Object> RESOURCES = new HashMap<>();
  private static final Map<String, Object> LOCALS = new HashMap<>();
  private static final Map<String, Object> VARIABLES = new HashMap<>();

  @BeforeAll
  static void parse() throws Exception {
    try (Stream<Path> files = Files.list(INFRA)) {
      for (Path tf : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
        Map<String, Object> parsed = new HCLParser().parse(tf.toFile(), "UTF-8");
        for (Map.Entry<String, Object> type : map(parsed.get("resource")).entrySet()) {
          RESOURCES.merge(
              type.getKey(),
              type.getValue(),
              (a, b) -> {
                Map<String, Object> both = new HashMap<>(map(a));
                both.putAll(map(b));
                return both;
              });
        }
        LOCALS.putAll(map(parsed.get("locals")));
        VARIABLES.putAll(map(parsed.get("variable")));
      }
    }
  }

  @Test
  void functionApps_shouldRunEveryFunctionOnce_whenTheRolesAreRead() {
    // GIVEN the functions of each role's Function App
    Map<String, Object> roles = map(LOCALS.get("functions"));
    List<String> all = new ArrayList<>();
    roles.values().forEach(fs -> all.addAll(strings(fs)));

    // WHEN / THEN together they are the code's functions, each in one role only
    assertEquals(RollgateAzureFunctions.FUNCTIONS.size(), all.size(), all.toString());
    assertEquals(new TreeSet<>(RollgateAzureFunctions.FUNCTIONS), new TreeSet<>(all));
    assertTrue(strings(roles.get("backup")).containsAll(List.of("backup", "verifyBackup")));
  }

  @Test
  void functionApp_shouldBeLinuxJava17_whenParsed() {
    // GIVEN the Function App and its plan
    Map<String, Object> app = resource("azurerm_linux_function_app", "rollgate");
    Map<String, Object> stack = map(map(app.get("site_config")).get("application_stack"));

    // WHEN / THEN Java 17 on Linux, as the artifact is built
    assertEquals(RollgateAzureFunctions.JAVA_VERSION, stack.get("java_version"));
    assertEquals("Linux", resource("azurerm_service_plan", "rollgate").get("os_type"));
    assertEquals(true, app.get("https_only"));
  }

  @Test
  void appSettings_shouldBeEveryOneTheEntryReads_whenParsed() {
    // GIVEN the app settings every Function App gets
    Map<String, Object> settings = map(LOCALS.get("app_settings"));

    // WHEN / THEN exactly the ones the code names
    assertEquals(
        new TreeSet<>(RollgateAzureFunctions.ENVIRONMENT), new TreeSet<>(settings.keySet()));
  }

  @Test
  void schedules_shouldBeSixFieldNcrontab_whenTheVariablesAreRead() {
    // GIVEN each timer's schedule setting and the variable feeding it
    Map<String, String> variables =
        Map.of(
            RollgateAzureFunctions.RECONCILE_SCHEDULE, "reconcile_schedule",
            RollgateAzureFunctions.BACKUP_SCHEDULE, "backup_schedule",
            RollgateAzureFunctions.VERIFY_BACKUP_SCHEDULE, "verify_backup_schedule");
    for (String setting : RollgateAzureFunctions.SCHEDULES.values()) {
      // WHEN its default is read
      Object schedule = map(VARIABLES.get(variables.get(setting))).get("default");
      // THEN it is NCRONTAB (second minute hour day month weekday), as timer triggers take
      assertNotNull(schedule, setting);
      assertEquals(6, schedule.toString().trim().split("\\s+").length, setting + ": " + schedule);
    }
  }

  @Test
  void eventSubscription_shouldDeliverAcrPushesToImagePushed_whenParsed() {
    // GIVEN the Event Grid subscription on the registry's system topic
    Map<String, Object> sub =
        resource("azurerm_eventgrid_system_topic_event_subscription", "image_pushed");
    Map<String, Object> endpoint = map(sub.get("azure_function_endpoint"));

    // WHEN / THEN ImagePushed events go to the Event Grid-triggered function, one per delivery
    assertEquals(
        List.of("Microsoft.ContainerRegistry.ImagePushed"), sub.get("included_event_types"));
    assertTrue(String.valueOf(endpoint.get("function_id")).endsWith("/functions/imagePushed"));
    assertEquals(1.0, ((Number) endpoint.get("max_events_per_batch")).doubleValue());
    assertEquals(
        "Microsoft.ContainerRegistries.Registries",
        resource("azurerm_eventgrid_system_topic", "registry").get("topic_type"));
    assertTrue(
        List.of("EventGridSchema", "CloudEventSchemaV1_0")
            .contains(map(VARIABLES.get("event_delivery_schema")).get("default")));
  }

  @Test
  void roles_shouldBeTheLeastEachIdentityNeeds_whenParsed() {
    // GIVEN / WHEN the role assignments are read, THEN they are the three documented roles
    assertEquals(
        "Container Apps Contributor",
        resource("azurerm_role_assignment", "container_apps").get("role_definition_name"));
    assertEquals(
        "Key Vault Secrets User",
        resource("azurerm_role_assignment", "secrets").get("role_definition_name"));
    assertEquals(
        "Storage Blob Data Contributor",
        resource("azurerm_role_assignment", "backups").get("role_definition_name"));
    assertEquals(
        "Storage Blob Data Reader",
        resource("azurerm_role_assignment", "manifest").get("role_definition_name"));
  }

  @Test
  void example_shouldHoldAValidManifest_whenLoaded() {
    // GIVEN / WHEN the example's rollgate.yaml is loaded, THEN it is valid and uses Azure's stores
    Manifest manifest = ManifestLoader.load(INFRA.resolve("examples/basic/rollgate.yaml"));
    assertEquals("shop", manifest.apps().get(0).name());
  }

  private static Map<String, Object> resource(String type, String name) {
    Map<String, Object> r = map(map(RESOURCES.get(type)).get(name));
    assertTrue(!r.isEmpty(), type + "." + name + " is missing");
    return r;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    if (o instanceof List<?> l && l.size() == 1) {
      o = l.get(0);
    }
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x)));
    }
    return out;
  }
}
