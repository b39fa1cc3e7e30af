package dev.rollgate.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void get_shouldReadEnvironmentVariablesAsSpringBindsThem_whenNoPropertyIsSet() {
    // GIVEN an environment with ROLLGATE_LEDGER_URL and a property for the manifest
    Settings s =
        Settings.fromEnvironment(
            Map.of(
                "ROLLGATE_LEDGER_URL", "jdbc:postgresql://db/x", "ROLLGATE_MANIFEST", "env.yaml"),
            name -> name.equals("rollgate.manifest") ? "prop.yaml" : null);
    // WHEN / THEN the variable answers for rollgate.ledger-url, the property wins over it
    assertEquals("jdbc:postgresql://db/x", s.get("rollgate.ledger-url"));
    assertEquals("prop.yaml", s.get("rollgate.manifest"));
    assertNull(s.get("rollgate.budget"));
    assertEquals("PT5M", s.get("rollgate.budget", "PT5M"));
  }

  @Test
  void get_shouldTreatBlankAsUnset_whenAVariableIsEmpty() {
    // GIVEN ROLLGATE_BACKUP_STORE= (how shells and compose files unset a variable)
    Settings s = Settings.fromEnvironment(Map.of("ROLLGATE_BACKUP_STORE", " "), n -> null);
    // WHEN / THEN it counts as unset
    assertNull(s.get("rollgate.backup-store"));
  }
}
