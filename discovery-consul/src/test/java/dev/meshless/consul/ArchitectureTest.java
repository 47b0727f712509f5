package dev.meshless.consul;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import dev.meshless.testing.ArchitectureRules;

/** discovery-consul's boundaries: plain Java on core's public API, its internals its own. */
@AnalyzeClasses(packages = "dev.meshless.consul", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Usable without Spring: the starter wires it, it never reaches up. */
    @ArchTest
    static final ArchRule noFramework = noClasses().that().resideInAPackage("dev.meshless.consul..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "reactor..",
                    "dev.meshless.spring..");

    /** Neither core's internals nor any other module's. */
    @ArchTest
    static final ArchRule internalsStayWithTheirOwner = ArchitectureRules.internalsStayWithTheirOwner(
            "dev.meshless.consul");

    @ArchTest
    static final ArchRule packagesFormNoCycles = SlicesRuleDefinition.slices()
            .matching("dev.meshless.consul.(*)..").should().beFreeOfCycles();
}
