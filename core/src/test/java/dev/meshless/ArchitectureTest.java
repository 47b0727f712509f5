package dev.meshless;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import dev.meshless.testing.ArchitectureRules;

/** Core's boundaries: plain Java with no framework, internals kept to the package that owns them. */
@AnalyzeClasses(packages = "dev.meshless", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Core is usable from any Java program: no Spring, Reactor, Consul or JSON types. */
    @ArchTest
    static final ArchRule coreDependsOnNoFramework = noClasses().that().resideInAPackage("dev.meshless..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "reactor..",
                    "dev.meshless.consul..", "dev.meshless.spring..", "tools.jackson..", "com.fasterxml..",
                    "jakarta..");

    @ArchTest
    static final ArchRule internalsStayWithTheirOwner = ArchitectureRules.internalsStayWithTheirOwner("dev.meshless");

    /** Each package of core is a concept; concepts do not depend on each other in a circle. */
    @ArchTest
    static final ArchRule packagesFormNoCycles = SlicesRuleDefinition.slices()
            .matching("dev.meshless.(*)..").should().beFreeOfCycles();
}
