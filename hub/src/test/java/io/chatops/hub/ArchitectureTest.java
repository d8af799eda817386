package io.chatops.hub;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The hub's features depend on each other in one direction only (docs/architecture.md draws the
 * layers): a new cycle between feature packages, or a feature that reaches up into the hub's
 * wiring or into HTTP routes of another feature, fails here.
 */
class ArchitectureTest {
    private static final JavaClasses HUB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.chatops.hub");

    @Test
    void feature_packages_have_no_cycles() {
        slices().matching("io.chatops.hub.(*)..").should().beFreeOfCycles().check(HUB);
    }

    @Test
    void no_feature_depends_on_the_wiring_in_the_root_package() {
        noClasses().that().resideInAPackage("io.chatops.hub.*..")
                .should().dependOnClassesThat().resideInAPackage("io.chatops.hub")
                .check(HUB);
    }

    @Test
    void services_are_called_never_another_feature_s_routes() {
        noClasses().that().haveSimpleNameNotEndingWith("Routes").and().resideOutsideOfPackage("io.chatops.hub")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Routes")
                .check(HUB);
    }
}
