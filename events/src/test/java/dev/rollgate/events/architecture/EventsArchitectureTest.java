package dev.rollgate.events.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The events module sits at the bottom: it imports nothing of rollgate and no framework but
 * Jackson. (It cannot use the functions test jar's shared rules: functions depends on it.)
 */
class EventsArchitectureTest {

  @Test
  void events_shouldImportNothingOfRollgateNorSpring_whenItsMainClassesAreChecked() {
    // GIVEN / WHEN this module's main classes THEN they stay inside events, Jackson and the JDK
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("dev.rollgate.events..", "com.fasterxml.jackson..", "java..", "javax..")
        .because("dependencies point inward: adapters -> functions -> events")
        .check(new ClassFileImporter().importPath(Path.of("target", "classes")));
  }
}
