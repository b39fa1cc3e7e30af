package dev.rollgate.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.core.port.ServicePlatform.Change;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FieldChangesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void between_shouldNameEachChangedField_whenContainersEnvAndSizesChange() throws Exception {
    // GIVEN a task definition as it serves and one with another image, env, command and size
    JsonNode from =
        json(
            """
            {"cpu": "512", "memory": "1024",
             "containerDefinitions": [
               {"name": "app", "image": "shop@sha256:1", "command": ["java", "-jar", "a.jar"],
                "environment": [{"name": "LOG", "value": "info"}, {"name": "OLD", "value": "1"}]},
               {"name": "log-router", "image": "fluent"}],
             "volumes": []}
            """);
    JsonNode to =
        json(
            """
            {"cpu": "1024", "memory": "1024",
             "containerDefinitions": [
               {"name": "app", "image": "shop@sha256:2", "command": ["java", "-jar", "b.jar"],
                "environment": [{"name": "LOG", "value": "debug"}, {"name": "NEW", "value": "2"}]},
               {"name": "log-router", "image": "fluent"}]}
            """);

    // WHEN
    List<Change> changes = FieldChanges.between(from, to, Set.of());

    // THEN each field that differs, by name where elements are named; an empty list is absent
    assertEquals(
        List.of(
            new Change("cpu", "512", "1024"),
            new Change("containerDefinitions[app].image", "shop@sha256:1", "shop@sha256:2"),
            new Change(
                "containerDefinitions[app].command",
                "[\"java\",\"-jar\",\"a.jar\"]",
                "[\"java\",\"-jar\",\"b.jar\"]"),
            new Change("containerDefinitions[app].environment[LOG].value", "info", "debug"),
            new Change("containerDefinitions[app].environment[OLD].value", "1", null),
            new Change("containerDefinitions[app].environment[NEW].value", null, "2")),
        changes);
  }

  @Test
  void between_shouldMatchPositionalArraysByIndexAndBracketOddKeys_whenATemplateChanges()
      throws Exception {
    // GIVEN templates with named containers matched by index, and labels with dots and dashes
    JsonNode from =
        json(
            """
            {"template": {"revision": "shop-1", "labels": {"rollgate-placeholder": "true"},
              "containers": [{"name": "app", "image": "a"}]}}
            """);
    JsonNode to =
        json(
            """
            {"template": {"revision": "shop-2", "labels": {},
              "containers": [{"name": "app", "image": "b"}]}}
            """);

    // WHEN
    List<Change> changes = FieldChanges.between(from, to, Set.of("containers"));

    // THEN
    assertEquals(
        List.of(
            new Change("template.revision", "shop-1", "shop-2"),
            new Change("template.labels[rollgate-placeholder]", "true", null),
            new Change("template.containers[0].image", "a", "b")),
        changes);
  }

  @Test
  void between_shouldBeEmpty_whenOnlyAbsentAndEmptyDiffer() throws Exception {
    assertEquals(
        List.of(),
        FieldChanges.between(
            json("{\"a\": null, \"b\": [], \"c\": {}, \"d\": 1}"), json("{\"d\": 1}"), Set.of()));
  }

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }
}
