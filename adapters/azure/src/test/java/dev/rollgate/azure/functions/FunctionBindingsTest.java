package dev.rollgate.azure.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollgate.spring.RollgateAssembly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The bindings Azure's Maven plugin would write into each {@code function.json}, derived from the
 * annotations by {@link FunctionJson} (neither the plugin nor Core Tools run here), against what
 * rollgate promises: the function names, one trigger each, HTTP routes, methods and auth levels as
 * documented on {@link RollgateAzureFunctions}, timers whose schedules are app settings.
 */
class FunctionBindingsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, ObjectNode> FUNCTIONS =
      FunctionJson.of(RollgateAzureFunctions.class, "../rollgate.jar");

  @Test
  void functionJson_shouldHoldEveryFunctionOnce_whenDerivedFromTheAnnotations() {
    // GIVEN / WHEN the function.json files derived from the class
    // THEN one per Azure Function, and every rollgate function is among them by its own name
    assertEquals(new TreeSet<>(RollgateAzureFunctions.FUNCTIONS), FUNCTIONS.keySet());
    assertTrue(FUNCTIONS.keySet().containsAll(RollgateAssembly.FUNCTION_NAMES));
    for (Map.Entry<String, ObjectNode> f : FUNCTIONS.entrySet()) {
      assertEquals(
          RollgateAzureFunctions.class.getName() + "." + f.getKey(),
          f.getValue().path("entryPoint").asText());
    }
  }

  @Test
  void triggers_shouldBeTheDocumentedOnes_whenReadFromTheBindings() {
    // GIVEN / WHEN each function's trigger binding is read
    // THEN the trigger types, routes, methods and auth levels are the documented ones
    assertEquals("eventGridTrigger", trigger("imagePushed").path("type").asText());
    assertHttp("imagePushedHttp", "imagePushed", List.of("POST", "OPTIONS"), "FUNCTION");
    assertHttp("webhook", "webhook/{endpoint}", List.of("POST"), "ANONYMOUS");
    assertHttp("promote", "promote", List.of("POST"), "FUNCTION");
    assertHttp("abort", "abort", List.of("POST"), "FUNCTION");
    assertHttp("plan", "plan", List.of("POST"), "FUNCTION");
    assertHttp("status", "status", List.of("GET"), "FUNCTION");
    for (Map.Entry<String, String> timer : RollgateAzureFunctions.SCHEDULES.entrySet()) {
      JsonNode t = trigger(timer.getKey());
      assertEquals("timerTrigger", t.path("type").asText(), timer.getKey());
      assertEquals("%" + timer.getValue() + "%", t.path("schedule").asText(), timer.getKey());
      assertTrue(RollgateAzureFunctions.ENVIRONMENT.contains(timer.getValue()), timer.getValue());
    }
    assertEquals(
        Set.of("reconcile", "backup", "verifyBackup"), RollgateAzureFunctions.SCHEDULES.keySet());
  }

  @Test
  void write_shouldProduceAFunctionAppFolder_whenRunAtBuildTime() throws Exception {
    // GIVEN an empty folder
    Path dir = Files.createTempDirectory("azure-functions");

    // WHEN the function.json files are written as packaging writes them
    FunctionJson.write(dir, "rollgate.jar");

    // THEN host.json names the extension bundle (Event Grid's trigger) and each folder its function
    JsonNode host = JSON.readTree(dir.resolve("host.json").toFile());
    assertEquals("2.0", host.path("version").asText());
    assertEquals(
        "Microsoft.Azure.Functions.ExtensionBundle",
        host.path("extensionBundle").path("id").asText());
    for (String f : RollgateAzureFunctions.FUNCTIONS) {
      JsonNode written = JSON.readTree(dir.resolve(f).resolve("function.json").toFile());
      assertEquals("../rollgate.jar", written.path("scriptFile").asText(), f);
      assertEquals(
          FunctionJson.of(RollgateAzureFunctions.class, "../rollgate.jar").get(f), written);
    }
  }

  @Test
  void readme_shouldListEachFunctionsBindings_whenComparedWithTheAnnotations() throws Exception {
    // GIVEN the functions table of infra/azure/README.md
    Map<String, List<String>> rows = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(Path.of("../../infra/azure/README.md"))) {
      List<String> cells = java.util.Arrays.stream(line.split("\\|")).map(String::trim).toList();
      if (line.startsWith("| ") && FUNCTIONS.containsKey(cells.get(1))) {
        rows.put(cells.get(1), cells.subList(2, 6));
      }
    }

    // WHEN / THEN every function is listed with the trigger, route, methods, auth level and
    // schedule setting its annotation declares
    assertEquals(FUNCTIONS.keySet(), rows.keySet());
    for (Map.Entry<String, List<String>> row : rows.entrySet()) {
      JsonNode t = trigger(row.getKey());
      List<String> cells = row.getValue();
      assertEquals(t.path("type").asText(), cells.get(0), row.getKey());
      if (t.has("route")) {
        List<String> methods = new ArrayList<>();
        t.path("methods").forEach(m -> methods.add(m.asText()));
        assertEquals(
            String.join(", ", methods) + " /api/" + t.path("route").asText(),
            cells.get(1),
            row.getKey());
        assertEquals(t.path("authLevel").asText(), cells.get(2), row.getKey());
      }
      String schedule = t.path("schedule").asText("");
      assertEquals(
          schedule.isEmpty() ? "-" : schedule.replace("%", ""), cells.get(3), row.getKey());
    }
  }

  private static JsonNode trigger(String function) {
    JsonNode bindings = FUNCTIONS.get(function).path("bindings");
    List<JsonNode> in = new ArrayList<>();
    bindings.forEach(
        b -> {
          if (b.path("direction").asText().equals("in")) {
            in.add(b);
          }
        });
    assertEquals(1, in.size(), function + ": " + bindings);
    return in.get(0);
  }

  private static void assertHttp(String function, String route, List<String> methods, String auth) {
    JsonNode t = trigger(function);
    assertEquals("httpTrigger", t.path("type").asText(), function);
    assertEquals(route, t.path("route").asText(), function);
    List<String> actual = new ArrayList<>();
    t.path("methods").forEach(m -> actual.add(m.asText()));
    assertEquals(methods, actual, function);
    assertEquals(auth, t.path("authLevel").asText(), function);
    assertEquals("binary", t.path("dataType").asText(), function);
  }
}
