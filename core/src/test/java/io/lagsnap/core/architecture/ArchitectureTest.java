package io.lagsnap.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps core's packages free of cycles, and the sink API free of core, as the design requires. */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.lagsnap.core", "io.lagsnap.sink.api");

    @Test
    void coresPackagesFormNoCycle() {
        slices().matching("io.lagsnap.core.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void theSinkApiDependsOnNothingInCore() {
        noClasses().that().resideInAPackage("io.lagsnap.sink.api..")
                .should().dependOnClassesThat().resideInAPackage("io.lagsnap.core..").check(CORE);
    }

    @Test
    void theMathIsPure() {
        noClasses().that().resideInAPackage("io.lagsnap.core.math..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.lagsnap.core.kafka..",
                        "io.lagsnap.core.run..", "java.io..", "java.nio..")
                .check(CORE);
    }
}
