package dev.rollgate.aws;

import dev.rollgate.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The aws adapter keeps the rules every module keeps: above all, it imports no other adapter. */
class AwsArchitectureTest {

  @Test
  void awsAdapter_shouldKeepEveryRule_whenItsMainClassesAreChecked() {
    // GIVEN this module's main classes WHEN checked THEN every shared rule holds
    ArchitectureRules.checkThisModule();
  }
}
