package dev.podpath.cli;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Inside each layer's module, packages form no cycle (STYLE.md §1): a package may use the packages
 * below it, never one that uses it back. Maven already keeps the modules themselves pointing
 * downward.
 */
class ArchitectureTest {

  static final List<String> MODULES =
      List.of("net", "kernel", "shell", "kube", "node", "proxy", "policy", "dns", "cluster", "cli");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.podpath");
  }

  @ParameterizedTest(name = "packages of {0} are free of cycles")
  @FieldSource("MODULES")
  void packagesOfAModuleAreFreeOfCycles(String module) {
    String root = "dev.podpath." + module;
    slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass c) {
                String pkg = c.getPackageName();
                return pkg.equals(root) || pkg.startsWith(root + ".")
                    ? SliceIdentifier.of(pkg)
                    : SliceIdentifier.ignore();
              }

              @Override
              public String getDescription() {
                return "packages of " + root;
              }
            })
        .should()
        .beFreeOfCycles()
        .allowEmptyShould(true)
        .check(classes);
  }
}
