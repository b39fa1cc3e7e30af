package dev.rollgate.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The functions module keeps the shared rules, and the rules catch what they are meant to. */
class ArchitectureTest {

  @Test
  void functions_shouldKeepEveryRule_whenItsMainClassesAreChecked() {
    // GIVEN the functions module's main classes WHEN checked THEN every shared rule holds
    ArchitectureRules.checkThisModule();
  }

  @Test
  void events_shouldDependOnNothingOfRollgate() {
    // GIVEN the events module, as functions sees it on its classpath
    JavaClasses classes = new ClassFileImporter().importPackages("dev.rollgate.events");
    // WHEN / THEN it depends on nothing else of rollgate
    noClasses()
        .that()
        .resideInAPackage("dev.rollgate.events..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.rollgate.core..", "dev.rollgate.spring..", "org.springframework..")
        .because("dependencies point inward: adapters -> functions -> events")
        .check(classes);
  }

  @Test
  void noAdapterImportsAnother_shouldFail_whenOneAdapterUsesAnother() {
    // GIVEN two made-up adapters, one of which calls the other
    JavaClasses fixture =
        new ClassFileImporter()
            .importPackages("dev.rollgate.archfixtureone", "dev.rollgate.archfixturetwo");
    // WHEN the rule checks them THEN it names the offending dependency
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> ArchitectureRules.NO_ADAPTER_IMPORTS_ANOTHER.check(fixture));
    assertTrue(e.getMessage().contains("archfixtureone.CloudOnePlatform"), e.getMessage());
    assertTrue(e.getMessage().contains("archfixturetwo.CloudTwoSecrets"), e.getMessage());
  }

  @Test
  void coreIsPlainJava_shouldFail_whenACoreClassUsesJdbc() {
    // GIVEN a made-up core class that opens a JDBC connection
    JavaClasses fixture = new ClassFileImporter().importPackages("dev.rollgate.core.archfixture");
    // WHEN / THEN the rule refuses it
    AssertionError e =
        assertThrows(
            AssertionError.class, () -> ArchitectureRules.CORE_IS_PLAIN_JAVA.check(fixture));
    assertTrue(e.getMessage().contains("java.sql"), e.getMessage());
  }
}
