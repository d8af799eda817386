package io.chatops.agent;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The agent is small and stands alone: of this project's code it uses only the protocol. */
class ArchitectureTest {
    private static final JavaClasses AGENT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.chatops.agent");

    @Test
    void the_agent_imports_nothing_of_this_project_but_the_protocol() {
        classes().that().resideInAPackage("io.chatops.agent..")
                .should().onlyDependOnClassesThat(resideInAnyPackage("io.chatops.agent..", "io.chatops.protocol..")
                        .or(resideOutsideOfPackage("io.chatops..")))
                .check(AGENT);
    }

    @Test
    void the_agent_packages_have_no_cycles() {
        slices().matching("io.chatops.agent.(*)..").should().beFreeOfCycles().check(AGENT);
    }
}
