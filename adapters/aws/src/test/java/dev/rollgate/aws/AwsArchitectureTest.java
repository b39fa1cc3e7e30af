package dev.rollgate.aws;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import dev.rollgate.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The aws adapter keeps the rules every module keeps: above all, it imports no other adapter. */
class AwsArchitectureTest {

  @Test
  void awsAdapter_shouldKeepEveryRule_whenItsMainClassesAreChecked() {
    // GIVEN this module's main classes
    JavaClasses classes = ArchitectureRules.mainClassesOfThisModule();
    // WHEN / THEN every shared rule holds
    for (ArchRule rule : ArchitectureRules.ALL) {
      rule.check(classes);
    }
  }
}
