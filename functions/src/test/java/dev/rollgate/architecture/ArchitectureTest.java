package dev.rollgate.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.rollgate");
  }

  @Test
  void core_shouldImportNoSpringNoCloudSdkNoAdapter() {
    // GIVEN the core packages WHEN checked THEN they depend on plain Java, Jackson, SnakeYAML only
    noClasses()
        .that()
        .resideInAPackage("dev.rollgate.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "software.amazon..",
            "com.amazonaws..",
            "com.google.cloud..",
            "com.azure..",
            "com.microsoft.azure..",
            "org.flywaydb..",
            "java.sql..",
            "dev.rollgate.ledger..",
            "dev.rollgate.backup..",
            "dev.rollgate.migration..",
            "dev.rollgate.probe..",
            "dev.rollgate.secrets..",
            "dev.rollgate.spring..",
            "dev.rollgate.local..")
        .because("the core is plain Java; adapters plug in through the ports")
        .check(classes);
  }

  @Test
  void events_shouldDependOnNothingOfRollgate() {
    // GIVEN the events module WHEN checked THEN it depends on nothing else of rollgate
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
  void implementations_shouldNotDependOnSpring() {
    // GIVEN the port implementations in functions WHEN checked THEN only dev.rollgate.spring uses
    // Spring, so that every cloud entry point can assemble them without a Spring context
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.rollgate.ledger..",
            "dev.rollgate.backup..",
            "dev.rollgate.migration..",
            "dev.rollgate.probe..",
            "dev.rollgate.secrets..",
            "dev.rollgate.notify..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.springframework..")
        .check(classes);
  }
}
