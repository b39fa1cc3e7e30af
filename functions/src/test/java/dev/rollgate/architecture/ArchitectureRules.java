package dev.rollgate.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The dependency rules every module of rollgate keeps, shipped in the functions test jar so that
 * each adapter runs them on its own classes ({@link ArchitectureRulesTest}'s pattern): the core is
 * plain Java, port implementations in functions need no Spring, and no adapter imports another.
 */
public final class ArchitectureRules {

  /** The packages of the functions module; every other {@code dev.rollgate.X} is an adapter's. */
  static final Set<String> SHARED =
      Set.of(
          "core",
          "events",
          "analysis",
          "ledger",
          "backup",
          "migration",
          "probe",
          "registry",
          "secrets",
          "notify",
          "spring",
          "architecture",
          "assembly",
          "contract",
          "testing",
          "bench",
          "docs");

  private ArchitectureRules() {}

  /** The core depends on plain Java, Jackson, SnakeYAML and the events module only. */
  public static final ArchRule CORE_IS_PLAIN_JAVA =
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
              "com.google.api..",
              "io.grpc..",
              "com.azure..",
              "com.microsoft.azure..",
              "org.flywaydb..",
              "java.sql..",
              "javax.sql..",
              "dev.rollgate.ledger..",
              "dev.rollgate.backup..",
              "dev.rollgate.migration..",
              "dev.rollgate.probe..",
              "dev.rollgate.analysis..",
              "dev.rollgate.registry..",
              "dev.rollgate.secrets..",
              "dev.rollgate.spring..",
              "dev.rollgate.local..",
              "dev.rollgate.aws..",
              "dev.rollgate.gcp..",
              "dev.rollgate.azure..")
          .because("the core is plain Java; adapters plug in through the ports")
          .allowEmptyShould(true);

  /** Port implementations in functions are usable by entry points without a Spring context. */
  public static final ArchRule IMPLEMENTATIONS_NEED_NO_SPRING =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.rollgate.ledger..",
              "dev.rollgate.backup..",
              "dev.rollgate.migration..",
              "dev.rollgate.probe..",
              "dev.rollgate.analysis..",
              "dev.rollgate.registry..",
              "dev.rollgate.secrets..",
              "dev.rollgate.notify..",
              "dev.rollgate.assembly..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.springframework..")
          .because("every cloud entry point assembles them, with or without Spring")
          .allowEmptyShould(true);

  /** An adapter ({@code dev.rollgate.X} outside the functions module) imports no other adapter. */
  public static final ArchRule NO_ADAPTER_IMPORTS_ANOTHER =
      SlicesRuleDefinition.slices()
          .assignedFrom(new Adapters())
          .should()
          .notDependOnEachOther()
          .because("what two adapters share belongs in functions/")
          .allowEmptyShould(true);

  /** The rules every module runs on its own main classes. */
  public static final ArchRule[] ALL = {
    CORE_IS_PLAIN_JAVA, IMPLEMENTATIONS_NEED_NO_SPRING, NO_ADAPTER_IMPORTS_ANOTHER
  };

  /** Checks every rule of {@link #ALL} on the main classes of the module whose tests run now. */
  public static void checkThisModule() {
    JavaClasses classes = mainClassesOfThisModule();
    for (ArchRule rule : ALL) {
      rule.check(classes);
    }
  }

  /** The main classes of the module whose tests run now (its {@code target/classes}). */
  public static JavaClasses mainClassesOfThisModule() {
    Path classes = Path.of("target", "classes");
    if (!Files.isDirectory(classes)) {
      throw new IllegalStateException(
          "no " + classes.toAbsolutePath() + ": run the tests through Maven, from the module");
    }
    return new ClassFileImporter().importPath(classes);
  }

  /** One slice per adapter: the second segment of a {@code dev.rollgate.X} package. */
  private static final class Adapters implements SliceAssignment {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String[] parts = javaClass.getPackageName().split("\\.");
      if (parts.length < 3
          || !parts[0].equals("dev")
          || !parts[1].equals("rollgate")
          || SHARED.contains(parts[2])) {
        return SliceIdentifier.ignore();
      }
      return SliceIdentifier.of("adapter " + parts[2]);
    }

    @Override
    public String getDescription() {
      return "adapters (dev.rollgate.X outside the functions module)";
    }
  }
}
