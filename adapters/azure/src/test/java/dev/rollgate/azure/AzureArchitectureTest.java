package dev.rollgate.azure;

import dev.rollgate.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The azure adapter keeps the rules every module keeps: above all, it imports no other adapter. */
class AzureArchitectureTest {

  @Test
  void azureAdapter_shouldKeepEveryRule_whenItsMainClassesAreChecked() {
    // GIVEN this module's main classes WHEN checked THEN every shared rule holds
    ArchitectureRules.checkThisModule();
  }
}
