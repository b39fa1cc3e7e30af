package dev.rollgate.gcp;

import dev.rollgate.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The gcp adapter keeps the rules every module keeps: above all, it imports no other adapter. */
class GcpArchitectureTest {

  @Test
  void gcpAdapter_shouldKeepEveryRule_whenItsMainClassesAreChecked() {
    // GIVEN this module's main classes WHEN checked THEN every shared rule holds
    ArchitectureRules.checkThisModule();
  }
}
