package dev.rollgate.local;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import dev.rollgate.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The local adapter keeps the rules every module keeps: above all, it imports no other adapter. */
class LocalArchitectureTest {

  @Test
  void localAdapter_shouldKeepEveryRule_whenItsMainClassesAreChecked() {
    // GIVEN this module's main classes
    JavaClasses classes = ArchitectureRules.mainClassesOfThisModule();
    // WHEN / THEN every shared rule holds
    for (ArchRule rule : ArchitectureRules.ALL) {
      rule.check(classes);
    }
  }
}
