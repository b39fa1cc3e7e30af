package dev.rollgate.local;

import dev.rollgate.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The local adapter keeps the rules every module keeps: above all, it imports no other adapter. */
class LocalArchitectureTest {

  @Test
  void localAdapter_shouldKeepEveryRule_whenItsMainClassesAreChecked() {
    // GIVEN this module's main classes WHEN checked THEN every shared rule holds
    ArchitectureRules.checkThisModule();
  }
}
