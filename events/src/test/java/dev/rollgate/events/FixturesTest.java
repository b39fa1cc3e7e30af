package dev.rollgate.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollgate.events.cli.TriggerJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FixturesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final EventDecoder decoder = new EventDecoder();

  static List<String> fixtures() {
    return Fixtures.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void decode_shouldGiveTheExpectedTriggersOrRejection_whenGivenEachFixture(String name)
      throws Exception {
    // GIVEN a fixture, its headers, and what it means (expected/<name>.json or .error.txt)
    String base = name.replaceAll("\\.json$", "");
    Path expectedJson = Fixtures.ROOT.resolve("expected/" + base + ".json");
    Path expectedError = Fixtures.ROOT.resolve("expected/" + base + ".error.txt");
    assertTrue(
        Files.exists(expectedJson) ^ Files.exists(expectedError),
        "fixtures/" + name + " needs exactly one of expected/" + base + ".json or .error.txt");

    if (Files.exists(expectedJson)) {
      // WHEN it is decoded
      List<Trigger> triggers =
          decoder.decode(Fixtures.body(name), Fixtures.headers(name), Fixtures.RECEIVED);
      // THEN the triggers are the expected ones, field by field
      JsonNode expected = JSON.readTree(Fixtures.text(expectedJson));
      assertEquals(expected, TriggerJson.toJson(triggers), name);
    } else {
      // WHEN it is decoded THEN it is rejected with the expected one-line message
      DecodeException e =
          assertThrows(
              DecodeException.class,
              () -> decoder.decode(Fixtures.body(name), Fixtures.headers(name), Fixtures.RECEIVED));
      assertEquals(Fixtures.text(expectedError).strip(), e.getMessage(), name);
    }
  }

  @Test
  void sources_shouldRecordTheOriginOfEveryFixture_whenListed() {
    // GIVEN the origins file WHEN every fixture is looked up in it THEN each one has an entry
    String sources = Fixtures.text(Fixtures.ROOT.resolve("SOURCES.md"));
    for (String name : Fixtures.names()) {
      String file = name.substring(name.lastIndexOf('/') + 1);
      if (!sources.contains(file)) {
        fail("fixtures/SOURCES.md does not say where " + name + " comes from");
      }
    }
  }

  @Test
  void expected_shouldBelongToAFixture_whenPresent() throws Exception {
    // GIVEN the expected files WHEN matched to fixtures THEN none is left over from a removed one
    List<String> names = Fixtures.names();
    try (var files = Files.walk(Fixtures.ROOT.resolve("expected"))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String rel = Fixtures.ROOT.resolve("expected").relativize(p).toString();
        String fixture = rel.replaceAll("\\.(error\\.txt|json)$", "") + ".json";
        assertTrue(names.contains(fixture), "expected/" + rel + " has no fixture " + fixture);
      }
    }
  }
}
